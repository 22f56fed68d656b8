# Una prima settimana guidata: il menu in privato, i suggerimenti per i messaggi liberi, il
# benvenuto ai nuovi arrivati, le risposte che restano visibili. Nei gruppi si parla a tutto
# il gruppo (voi); in privato alla persona (tu).

## Il menu in privato (sotto /start, il saluto del link di benvenuto e il suggerimento): testo semplice

start-button-interests = 🏷 I tuoi interessi
start-button-intros = 🤝 Le tue presentazioni
start-button-privacy = 🔒 La tua privacy
start-button-join = 🤝 Partecipa alle presentazioni in { $title }
start-button-refused = Questo pulsante non è mio, o non funziona più: scrivi /{ -cmd-start } per un menu nuovo.

## Il saluto dietro il pulsante del benvenuto di un gruppo

start-from-group =
    👋 Ciao { $name }, ti do il benvenuto in <b>{ $title }</b>!
    Qui in privato sono a tua disposizione: dimmi cosa ti appassiona e in cosa puoi dare una mano, { $intros ->
        [on] e ti presenterò le persone di { $title } che hanno i tuoi stessi interessi.
       *[other] così in { $title } chi ha bisogno di te ti trova.
    }
    Comincia dai pulsanti qui sotto; /{ -cmd-help } elenca tutto quello che so fare.
start-group-refused = Non conosco questo gruppo. Riapri il link dal messaggio di benvenuto del gruppo.
start-group-not-member = Non ti trovo ancora in quel gruppo: entra prima nel gruppo, poi premi di nuovo il suo pulsante.

## Messaggi liberi in privato che Rete non sa usare (ogni tanto, non a ogni messaggio)

start-hint = Non leggo i messaggi scritti qui, ma ecco cosa posso fare per te (oppure scrivi /{ -cmd-help }):

## Il benvenuto ai nuovi arrivati nel gruppo (un solo messaggio per un'intera ondata di ingressi)

welcome-newcomers =
    👋 Diamo il benvenuto in { $title } a { $names }!
    Qui ci si aiuta a vicenda: un saluto e due righe su di sé sono il modo migliore per cominciare.{ $intros ->
        [on] { " " }Con il pulsante qui sotto vi presento, in privato, chi ha i vostri stessi interessi.
       *[other] {""}
    }
welcome-names-and = { $names } e { $last }
welcome-names-others = { $names } e { $count ->
        [one] un'altra persona
       *[other] altre { $count } persone
    }
welcome-names-counted = { $count ->
        [one] chi è appena arrivato
       *[other] { $count } persone appena arrivate
    }
welcome-button-intros = 🤝 Presentami
welcome-button-start = 👋 Primi passi

## /impostazioni benvenuto

settings-welcome-set = { $state ->
        [on] ✅ Darò di nuovo il benvenuto ai nuovi arrivati (un solo messaggio per chi entra insieme).
       *[off] ✅ Non darò più il benvenuto ai nuovi arrivati in questo gruppo.
    }

## Presentazioni: "ancora un passo" e la risposta a "vi siete sentiti?"

intros-joined-type-tags = Scrivili pure qui, separati da una virgola (per esempio: python, montagna, giochi da tavolo), oppure usa i pulsanti.
intros-follow-up-answer = Hai risposto: <b>{ $answer }</b>
