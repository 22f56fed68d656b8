# Rete — presentazioni (italiano). Ogni messaggio è HTML di Telegram; gli argomenti sono già protetti.

cmd-interests = I tuoi interessi, cosa offri e cosa cerchi
cmd-intros = Presentazioni: iscriviti qui, o il tuo stato in privato
cmd-meet = Una presentazione subito, alla persona più adatta (una volta a settimana)
cmd-whoknows = Chi qui se ne intende: /{ -cmd-whoknows } python
cmd-introduce = Presenta due membri tra loro (admin)

settings-bad-cadence = “{ $value }” non è una frequenza che conosco. Usa settimanale, 2 (ogni due settimane) o 4 (ogni quattro settimane).

## Parole

intros-none = —
intros-and = { " " }e{ " " }
intros-kind-interest = i tuoi interessi
intros-kind-offer = le cose in cui puoi aiutare
intros-kind-seek = le cose che cerchi
intros-kind-remove = i tag da togliere
intros-day-0 = lunedì
intros-day-1 = martedì
intros-day-2 = mercoledì
intros-day-3 = giovedì
intros-day-4 = venerdì
intros-day-5 = sabato
intros-day-6 = domenica
intros-when = { $every ->
        [1] ogni { $day } alle { $time }
        [2] ogni due settimane, di { $day } alle { $time }
        [4] ogni quattro settimane, di { $day } alle { $time }
       *[other] ogni { $every } settimane, di { $day } alle { $time }
    }
intros-open-private = Apri la chat privata
intros-not-admin = Mi spiace, possono farlo solo gli admin del gruppo.
intros-button-stale = Questo pulsante non vale più: la presentazione è stata annullata, ha già una risposta o è stata sostituita. Non ho cambiato nulla.
intros-hidden-member = un membro che preferisce non mostrare il nome

## /settings

intros-settings-line = Presentazioni: { $state ->
        [on] attive — { $when } (prossimo giro: { $next }); le stesse due persone si ritrovano dopo { $repeat ->
            [one] almeno un giro
           *[other] almeno { $repeat } giri
        }; chiedo com'è andata { $followup ->
            [one] il giorno dopo
           *[other] dopo { $followup } giorni
        }
       *[off] spente — /{ -cmd-settings } presentazioni on per attivarle (ogni due settimane, il lunedì alle 10:00; si cambia con /{ -cmd-settings } presentazioniogni 1|2|4, presentazionigiorno, presentazioniora)
    }
intros-settings-set = ✅ Presentazioni: { $when } (prossimo giro: { $next }). Le stesse due persone si ritrovano dopo { $repeat ->
        [one] almeno un giro
       *[other] almeno { $repeat } giri
    }; chiedo com'è andata { $followup ->
        [one] il giorno dopo
       *[other] dopo { $followup } giorni
    }.
intros-settings-off = ✅ Presentazioni spente in questo gruppo. Nessuno verrà abbinato finché un admin non le riattiva.

## /interests

intros-interests =
    <b>I tuoi tag</b>
    🎯 Interessi: { $interests }
    🤝 Posso aiutare con: { $offers }
    🔎 Cerco: { $seeks }

    Quando ti presento a qualcuno vede solo i tag che avete in comune.
    Scrivili separati da virgole:
    /{ -cmd-interests } python, montagna
    /{ -cmd-interests } offro mentoring, grafica
    /{ -cmd-interests } cerco un socio
    /{ -cmd-interests } togli montagna
    oppure usa i pulsanti qui sotto.
intros-interests-in-group = I tuoi interessi si impostano meglio in privato: premi il pulsante e invia /{ -cmd-interests } lì.
intros-suggest-interest = + { $tag }
intros-suggest-offer = + { $tag } (posso aiutare)
intros-suggest-seek = + { $tag } (cerco)
intros-button-add-interest = ✏️ Interessi
intros-button-add-offer = ✏️ Posso aiutare con
intros-button-add-seek = ✏️ Cerco
intros-button-remove = 🗑 Togli tag
intros-type-tags = { $kind ->
        [offer] Mandami le cose in cui puoi dare una mano
        [seek] Mandami le cose che stai cercando
       *[interest] Mandami i tuoi interessi
    }, separati da una virgola (per esempio: python, montagna, giochi da tavolo).
intros-type-remove = Mandami i tag da togliere (separali con una virgola).
intros-tags-added = { $count ->
        [0] Niente di nuovo: li avevi già tutti tra { $kind ->
            [offer] le cose in cui puoi dare una mano
            [seek] le cose che cerchi
           *[interest] i tuoi interessi
        }.
        [one] ✅ Fatto: un tag in più tra { $kind ->
            [offer] le cose in cui puoi dare una mano
            [seek] le cose che cerchi
           *[interest] i tuoi interessi
        }.
       *[other] ✅ Fatto: { $count } tag in più tra { $kind ->
            [offer] le cose in cui puoi dare una mano
            [seek] le cose che cerchi
           *[interest] i tuoi interessi
        }.
    }
intros-tags-removed = { $count ->
        [0] Non avevi nessuno di quei tag: non ho tolto nulla.
        [one] 🗑 Ho tolto un tag.
       *[other] 🗑 Ho tolto { $count } tag.
    }
intros-tags-empty = Non ci ho trovato nessun tag. Scrivili separati da virgole, per esempio: /{ -cmd-interests } python, montagna
intros-tag-html = “{ $tag }” non può essere un tag: niente &lt; o &gt;. Non ho cambiato nulla.
intros-tag-invalid = “{ $tag }” contiene caratteri invisibili o di controllo. Non ho cambiato nulla.
intros-tag-too-long = “{ $tag }” è troppo lungo per un tag: al massimo { $max } caratteri. Non ho cambiato nulla.
intros-tag-no-words = “{ $tag }” non ha lettere né cifre: un tag deve contenere almeno una parola. Non ho cambiato nulla.
intros-tags-too-many = Sono { $count } in una volta: al massimo { $max } tag per tipo. Non ho cambiato nulla.
intros-tags-kind-full = Tra { $kind ->
        [offer] le cose in cui puoi dare una mano
        [seek] le cose che cerchi
       *[interest] i tuoi interessi
    } avresti { $count } tag: il massimo è { $max }. Prima togline qualcuno (/{ -cmd-interests } togli …). Non ho cambiato nulla.

## Iscrizione

intros-invitation =
    🤝 In questo gruppo ci sono le <b>presentazioni</b> ({ $when }): presento tra loro, in privato, chi ha interessi in comune o chi può dare una mano a un altro in quello che cerca. Solo chi si iscrive.
    Premete il pulsante per iscrivervi; potete mettere in pausa o smettere quando volete.
intros-button-join = 🤝 Iscriviti alle presentazioni
intros-off-here = Le presentazioni sono spente in questo gruppo. Gli admin possono attivarle con /{ -cmd-settings } presentazioni on.
intros-join-confirm =
    Vuoi iscriverti alle presentazioni di <b>{ $title }</b>?
    Ti scriverò qui chi del gruppo dovresti conoscere, e perché: { $when }. L'altra persona vedrà solo il tuo nome, il tuo username e i tag che avete in comune.
    Puoi mettere in pausa o smettere quando vuoi con /{ -cmd-intros }.
intros-button-confirm = ✅ Sì, presentami
intros-join-unknown = Quel gruppo non lo conosco, o non lo conosco più. Chiedi lì un nuovo link con /{ -cmd-intros }.
intros-join-not-member = Non risulti tra i membri di quel gruppo (o Telegram non me lo conferma): non puoi iscriverti alle sue presentazioni. Entra prima nel gruppo, poi premi di nuovo lì il pulsante.
intros-join-off = Al momento le presentazioni di { $title } sono spente: non c'è niente a cui iscriversi.
intros-joined = ✅ Fatto: ti ho iscritto alle presentazioni di { $title }. Prossimo giro: { $next }. Con /{ -cmd-intros } vedi il tuo stato, metti in pausa o smetti.
intros-joined-need-tags = Ancora un passo: dimmi cosa ti interessa, in cosa puoi aiutare e cosa stai cercando, così trovo le persone giuste per te.

## /intros in privato

intros-status =
    <b>Le tue presentazioni</b>
    { $groups }

    Non abbinarmi mai con: { $never }

    /{ -cmd-intros } pausa 31/12 — pausa ovunque fino a una data
    /{ -cmd-intros } stop — interrompi ovunque; /{ -cmd-intros } riprendi — ricomincia
    /{ -cmd-intros } mai @username — non abbinarmi mai con qualcuno (/{ -cmd-intros } mai togli @username)
    /{ -cmd-interests } — i tuoi tag; /{ -cmd-meet } — una presentazione subito
intros-status-line = • { $title }: { $state }
intros-status-none = Non hai ancora aderito alle presentazioni di nessun gruppo. In un gruppo dove sono attive, invia /{ -cmd-intros } e premi “Iscriviti alle presentazioni”.
intros-state-active = attive, prossimo giro { $next }
intros-state-paused = in pausa (invia /{ -cmd-intros } riprendi per tornare)
intros-state-paused-until = in pausa { $until }
intros-state-stopped = interrotte
intros-state-group-off = hai aderito, ma gli admin del gruppo hanno spento le presentazioni
intros-button-pause = ⏸ { $title }: { $days ->
        [one] un giorno
       *[other] { $days } giorni
    }
intros-button-stop = ⏹ { $title }: interrompi
intros-button-restart = ▶️ { $title }: riprendi
intros-paused = ⏸ Presentazioni di { $title } in pausa { $until }; poi ripartono da sole.
intros-paused-all = ⏸ Presentazioni in pausa ovunque { $until }; poi ripartono da sole.
intros-stopped = ⏹ Presentazioni di { $title } interrotte. Premi riprendi quando vuoi.
intros-stopped-all = ⏹ Presentazioni interrotte in tutti i tuoi gruppi.
intros-restarted = ▶️ Presentazioni di { $title } di nuovo attive.
intros-restarted-all = ▶️ Presentazioni di nuovo attive in tutti i tuoi gruppi.
intros-pause-usage = Dimmi fino a quando, con una data futura entro un anno: /{ -cmd-intros } pausa 31/12 oppure /{ -cmd-intros } pausa 2026-12-31
intros-private-usage = Non ho capito. Usa /{ -cmd-intros } da solo per il tuo stato, oppure: /{ -cmd-intros } pausa 31/12, /{ -cmd-intros } stop, /{ -cmd-intros } riprendi, /{ -cmd-intros } mai @username
intros-stats-in-group = I numeri sono per gli admin, nel loro gruppo: invia lì /{ -cmd-intros } statistiche.
intros-never-usage = Indica una persona per username: /{ -cmd-intros } mai @username, oppure /{ -cmd-intros } mai togli @username
intros-unknown-username = Non conosco ancora { $name }: deve aver scritto in un gruppo dove ci sono anch'io.
intros-never-self = Nella lista “mai” puoi mettere solo altre persone.
intros-never-added = 🚫 Non ti abbinerò mai con { $name }. Non lo saprà.
intros-never-already = { $name } è già nella tua lista “mai”.
intros-never-removed = ✅ Ho tolto { $name } dalla tua lista “mai”.
intros-never-not-there = { $name } non era nella tua lista “mai”.
intros-stats =
    <b>Presentazioni in questo gruppo</b>
    Iscritti: { $joined }
    Presentazioni fatte: { $made } ({ $people ->
        [one] una persona
       *[other] { $people } persone
    })
    Persone che hanno risposto: { $answered }
    Persone che dicono di essersi sentite: { $met }
    Ultime 4 settimane: { $recentmade ->
        [0] nessuna presentazione
        [one] una presentazione
       *[other] { $recentmade } presentazioni
    }, { $recentmet ->
        [0] nessuno mi ha ancora detto com'è andata
        [one] una persona dice di essersi sentita
       *[other] { $recentmet } persone dicono di essersi sentite
    }.
intros-stats-last-round = { $count ->
        [0] Nell'ultimo giro ({ $day }) nessuno è rimasto fuori.
       *[other] Rimasti fuori dall'ultimo giro ({ $day }): { $count }
    }
intros-stats-left-out = • { $count }: { $why ->
        [alone] non c'era nessun altro
        [no-shared-tags] nessuno con tag in comune
        [met-recently] { $count ->
            [one] ha già incontrato di recente tutti quelli con cui ha tag in comune
           *[other] hanno già incontrato di recente tutti quelli con cui hanno tag in comune
        }
        [no-acceptable-partner] chi era adatto è stato abbinato ad altri
        [partner-unreachable] il partner non era più raggiungibile
       *[other] nessun partner trovato
    }

## La presentazione

intros-dm-header = 👋 <b>{ $title }</b>: questa volta ti presento { $people }.
intros-dm-partner = { $person }
    { $why }
intros-why-shared = • interessi in comune: { $tags }
intros-why-offers = • può darti una mano con quello che cerchi: { $tags }
intros-why-seeks = • cerca aiuto proprio dove tu puoi darlo: { $tags }
intros-why-none = • non avete ancora tag in comune: un buon motivo per scoprire di cosa si occupa
intros-dm-by-admin = Secondo { $name } dovreste conoscervi: “{ $note }”
intros-dm-question = 💬 Per rompere il ghiaccio: { $question }
intros-question-shared = “Vedo che anche tu hai «{ $tag }» tra gli interessi: cosa ti ci ha portato?”
intros-question-seeks = “Sto cercando una mano per «{ $tag }»: tu da dove hai cominciato?”
intros-question-offers = “Ho visto che cerchi una mano per «{ $tag }»: a cosa stai lavorando?”
intros-question-none = “Cosa ti ha portato in { $title }?”
intros-dm-footer = Scrivi quando ti va: basta un saluto. { $days ->
        [one] Domani
       *[other] Tra { $days } giorni
    } ti chiedo com'è andata.
intros-change-of-plan = Cambio di programma: { $names } non può ricevere i miei messaggi, quindi ti presento qualcun altro.
intros-button-write = ✍️ Scrivo io
intros-button-skip = ⏭ Per questa volta passo
intros-button-never = 🚫 Non abbinarmi mai con questa persona
intros-answer-write = Ottimo! Fatti sentire quando ti va.
intros-answer-skip = Va bene, per questa volta niente. Non lo saprà nessuno.
intros-answer-never = 🚫 Capito: non vi abbinerò mai più. Non lo saprà.
intros-unmatched-alone = In questo giro di presentazioni di { $title } non c'era nessun altro, quindi stavolta non ho nessuno da presentarti. Invita altri a iscriversi con /{ -cmd-intros } nel gruppo! Non te lo ripeterò a ogni giro: ti riscrivo quando cambia qualcosa.
intros-unmatched-none = In questo giro di { $title } non ho trovato nessuno con un tag in comune che tu non abbia già incontrato di recente, quindi niente presentazione stavolta. Con più tag (/{ -cmd-interests }) ho più possibilità. Non te lo ripeterò a ogni giro: ti riscrivo quando cambia qualcosa.
intros-unmatched-unreachable = In questo giro di { $title } avevo trovato qualcuno per te, ma non può più ricevere i miei messaggi e non c'era nessun altro libero. Mi spiace — al prossimo giro!
intros-partner-unreachable = Mi spiace: { $name } al momento non può ricevere i miei messaggi, quindi questa presentazione salta.
intros-silent-paused = Non hai risposto alle ultime tre presentazioni di { $title }, quindi le ho messe in pausa. Quando vuoi ripartire invia qui /{ -cmd-intros } e premi riprendi.

## Verifica

intros-follow-up = 🤝 { $days ->
        [one] Ieri
       *[other] { $days } giorni fa
    } ti ho presentato { $names } ({ $title }). Avete avuto modo di sentirvi?
intros-button-met-yes = ✅ Sì
intros-button-met-notyet = ⏳ Non ancora
intros-button-met-no = ❌ No
intros-outcome-yes = 🎉 Bellissimo, grazie di avermelo detto!
intros-outcome-notyet = Nessuna fretta: c'è ancora tempo. Grazie di avermelo detto.
intros-outcome-no = Grazie di avermelo detto. Al prossimo giro ti presento qualcun altro.

## /whoknows

intros-whoknows-usage = Dimmi l'argomento: /{ -cmd-whoknows } python
intros-whoknows-none = Tra chi si è iscritto alle presentazioni qui, nessuno ha ancora “{ $tag }” tra i suoi tag.
intros-whoknows-header = <b>Chi se ne intende di { $tag }</b>
intros-whoknows-offer = • { $name } — può dare una mano
intros-whoknows-interest = • { $name } — è tra i suoi interessi
intros-whoknows-footer = Compare solo chi si è iscritto alle presentazioni.

## /meet

intros-meet-private = /{ -cmd-meet } funziona in privato: mandamelo lì.
intros-meet-too-soon = Hai avuto una presentazione con /{ -cmd-meet } meno di una settimana fa. Puoi chiederne un'altra { $when }.
intros-meet-not-joined = Non hai aderito alle presentazioni in nessun gruppo dove sono attive (o le hai messe in pausa). In un gruppo, invia /{ -cmd-intros } e premi “Iscriviti alle presentazioni”.
intros-meet-no-tags = Prima dimmi i tuoi tag con /{ -cmd-interests }: mi servono per trovarti qualcuno.
intros-meet-nobody = Al momento non ho trovato nessuno da presentarti (chi hai incontrato di recente non conta). Riprova tra qualche giorno, o aggiungi tag con /{ -cmd-interests }.

## /introduce

intros-introduce-usage = Rispondi al messaggio di un membro e menzionane un altro — /{ -cmd-introduce } @username [una nota] — oppure menzionali entrambi: /{ -cmd-introduce } @primo @secondo [una nota].
intros-introduce-same = È la stessa persona due volte: indica due membri diversi.
intros-introduce-bot = I bot non si possono presentare: indica due persone.
intros-introduce-not-person = Quel messaggio non l'ha scritto una persona: rispondi al messaggio di un membro.
intros-introduce-anonymous = Stai scrivendo in forma anonima, come gruppo: i due membri devono sapere chi li presenta. Manda /{ -cmd-introduce } dal tuo profilo.
intros-introduce-cannot = Non posso presentare queste due persone.
intros-introduce-not-member = { $name } in questo momento non fa parte del gruppo: presento solo chi è qui. Non ho cambiato nulla.
intros-introduce-limit = Nelle ultime 24 ore in questo gruppo { $count ->
        [one] avete già fatto una presentazione a mano, il massimo che faccio in un giorno
       *[other] avete già fatto { $count } presentazioni a mano, il massimo che faccio in un giorno
    }. Riprovate domani; i giri programmati e /{ -cmd-meet } continuano come sempre.
intros-introduce-asked = ✅ Ho chiesto a entrambi in privato. La presentazione parte solo quando accettano tutti e due.
intros-introduce-open-private = { $count ->
        [one] { $names }: qualcuno vorrebbe presentarti a un altro membro. Apri la chat privata con me per vedere chi e per accettare o rifiutare.
       *[other] { $names }: qualcuno vorrebbe presentarvi a un altro membro. Aprite la chat privata con me per vedere chi e per accettare o rifiutare.
    }
intros-accept-ask =
    { $admin } di <b>{ $title }</b> vorrebbe presentarti { $person }.
    Nota: { $note }
    Se accettate entrambi, vi mando la presentazione. Se rifiuti, nessuno saprà perché.
intros-button-accept = ✅ Accetto
intros-button-decline = ✖️ No, grazie
intros-accepted-waiting = ✅ Grazie! Mando la presentazione appena accetta anche l'altra persona.
intros-accepted-both = ✅ Avete accettato entrambi: eccola.
intros-declined = Va bene, niente presentazione. Nessuno saprà perché.
intros-declined-other = La presentazione che avevi accettato questa volta non si farà.

intros-public-state-on = 📣 Quando il riepilogo settimanale ti darà il benvenuto, dirà anche in cosa puoi dare una mano. Per toglierlo: /{ -cmd-interests } pubblico no
intros-public-state-off = 🔒 I tuoi tag restano privati. Se invii /{ -cmd-interests } pubblico sì, il riepilogo settimanale che ti dà il benvenuto dirà anche in cosa puoi dare una mano
intros-public-on = Fatto: quando il riepilogo settimanale ti darà il benvenuto, dirà anche in cosa puoi dare una mano.
intros-public-off = Fatto: quello che offri resta privato.
intros-public-usage = Scrivi /{ -cmd-interests } pubblico sì oppure /{ -cmd-interests } pubblico no.
