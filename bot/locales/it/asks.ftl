# Rete — richieste (italiano). Ogni messaggio è HTML di Telegram; gli argomenti sono già protetti.

cmd-ask = Chiedi aiuto al gruppo: /{ -cmd-ask } cerco un commercialista #startup
cmd-asks = Le richieste aperte qui; in privato, le tue scelte sulle richieste

## Parole

asks-hidden-member = un membro che preferisce non mostrare il nome
asks-someone = Un membro

## Pulsanti

asks-button-help = 🙋 Posso aiutare
asks-button-not-me = Non io
asks-button-no-more = Basta richieste
asks-button-post = ✅ Pubblica
asks-button-cancel = Annulla
asks-button-skip-note = Invia senza nota
asks-button-connect = 🤝 Mettici in contatto
asks-button-no-thanks = No, grazie
asks-button-solved = ✅ Risolta
asks-button-was-solved = Sì, risolta
asks-button-not-solved = No
asks-button-introduce = Sì, chiediglielo
asks-button-not-now = Non questa volta
asks-button-never-connector = Non chiedermi mai di mettere in contatto
asks-button-asks-off = Non mandarmi più richieste
asks-button-asks-on = Mandami di nuovo le richieste
asks-button-connector-off = Non chiedermi mai di mettere in contatto
asks-button-connector-on = Posso di nuovo mettere in contatto

## La richiesta nel gruppo

asks-group-only = Nessuno dei tuoi gruppi ha le richieste accese adesso. Manda /{ -cmd-ask } in un gruppo dove lo sono, seguito da ciò che ti serve: /{ -cmd-ask } cerco un commercialista che conosca le startup #contabilità
asks-off = Le richieste sono spente in questo gruppo. Un amministratore può accenderle: /{ -cmd-settings } richieste sì
asks-empty = Dimmi che cosa ti serve dopo il comando: /{ -cmd-ask } cerco un commercialista che conosca le startup #contabilità
asks-only-tags = Scrivi qualche parola su ciò che ti serve, non solo hashtag: /{ -cmd-ask } mi serve aiuto con la dichiarazione dei redditi #contabilità
asks-too-long = Richiesta troppo lunga: resta entro { $max ->
        [one] un carattere
       *[other] { $max } caratteri
    } (poche righe che si leggono a colpo d'occhio).
asks-no-tags = Non ho trovato tag nella tua richiesta. Aggiungi un hashtag o due per ciò che ti serve (per esempio #contabilità), così so a chi dirlo.
asks-start-first = Le risposte a una richiesta ti arrivano in privato: apri prima una chat privata con me (pulsante qui sotto), poi manda di nuovo la richiesta.
asks-open-private = Apri la chat privata
asks-limit = { $count ->
        [one] Hai già una richiesta aperta qui. Chiudila (✅ Risolta) prima di chiedere ancora.
       *[other] Hai già { $count } richieste aperte qui, il massimo per un membro. Chiudine una (✅ Risolta) prima di chiedere ancora.
    }
asks-limit-alert = Hai già tutte le richieste aperte che un membro può avere qui. Chiudine prima una.
asks-draft =
    <b>La tua richiesta</b>
    { $text }

    Tag con cui la inoltrerò: { $tags }
    Tocca un tag per toglierlo o rimetterlo, poi pubblicala.
asks-choose-a-tag = Scegli almeno un tag: è così che so a chi dirlo.
asks-cancelled = Richiesta annullata: non ho pubblicato nulla.
asks-post =
    🙋 <b>{ $name } chiede</b>
    { $text }

    { $tags }
asks-post-solved = ✅ Risolta.
asks-post-solved-by = ✅ Risolta, con l'aiuto di { $names }.
asks-post-expired = ⌛ Questa richiesta è chiusa.
asks-posted = { $count ->
        [0] Pubblicata. Qui nessuno offre ancora questi tag, quindi non l'ho detto a nessuno in privato; si può sempre premere “Posso aiutare”.
        [one] Pubblicata, e l'ho detto in privato a un membro che la offre.
       *[other] Pubblicata, e l'ho detto in privato a { $count } membri che la offrono.
    }
asks-posted-warm = { $count ->
        [0] Pubblicata. Qui nessuno la offre, ma una persona che conosci potrebbe conoscere chi lo fa: gliel'ho chiesto in privato.
        [one] Pubblicata, e l'ho detto in privato a un membro; l'ho chiesto anche a una persona che conosci e che potrebbe conoscere chi la offre.
       *[other] Pubblicata, e l'ho detto in privato a { $count } membri; l'ho chiesto anche a una persona che conosci e che potrebbe conoscere chi la offre.
    }
asks-open-for = { $days ->
        [one] Resta aperta un giorno.
       *[other] Resta aperta { $days } giorni.
    }

## Inoltrata in privato

asks-routed =
    🙋 <b>{ $name }</b> in <b>{ $title }</b> chiede qualcosa che tu offri:
    { $text }

    { $tags }
    Puoi aiutare? Nessuno vede il tuo contatto finché non dite sì entrambi.
asks-introduced =
    🙋 <b>{ $connector }</b>, che conosci, pensa che tu possa aiutare <b>{ $name }</b> di <b>{ $title }</b>:
    { $text }

    { $tags }
    Puoi aiutare? Nessuno vede il tuo contatto finché non dite sì entrambi.
asks-not-me-done = Va bene, grazie di avermelo detto. Ti arriveranno altre richieste.
asks-stopped = Capito: niente più richieste in privato. Manda /{ -cmd-asks } qui se cambi idea.
asks-helping = 🙋 Ti sei offerto di aiutare: qui sotto ti ho chiesto una nota.

## Posso aiutare

asks-own-ask = È la tua richiesta: sono gli altri a premere “Posso aiutare”.
asks-already-offered = Ti sei già offerto di aiutare con questa richiesta.
asks-start-first-help = Per offrire aiuto devo scriverti in privato: apri una chat con me (tocca il mio nome, poi Avvia), poi premi di nuovo.
asks-offer-noted = Ti ho scritto in privato.
asks-note-ask =
    Grazie! Mandami una riga per { $name } (che cosa puoi fare, o come): arriva con la tua offerta.
    “{ $text }”
    Oppure invia l'offerta senza nota.
asks-note-sent = Inviata: chi ha chiesto decide se mettervi in contatto. Ti farò sapere in ogni caso.
asks-offer =
    🙋 <b>{ $helper }</b> può aiutarti con la tua richiesta:
    “{ $text }”
    La sua nota: { $note }

    Vi metto in contatto? Solo allora riceverete l'uno il contatto dell'altro.
asks-offer-via =
    🙋 <b>{ $helper }</b>, presentato da <b>{ $connector }</b>, può aiutarti con la tua richiesta:
    “{ $text }”
    La sua nota: { $note }

    Vi metto in contatto? Solo allora riceverete l'uno il contatto dell'altro.
asks-helper-gone = Quell'offerta non c'è più: la persona l'ha ritirata o ha cancellato i suoi dati da Rete. Non ho cambiato nulla.
asks-helper-left = Quella persona non è più nel gruppo: non ho condiviso nulla.
asks-declined = Hai detto no, grazie: nessun contatto è stato condiviso.
asks-declined-helper = Grazie di esserti offerto per “{ $text }”: chi ha chiesto ha trovato un'altra strada. Nessun contatto è stato condiviso.
asks-connected =
    🤝 Sei in contatto con { $person } per “{ $text }”.
    La sua nota: { $note }
    Scrivigli; quando è risolta, premi Risolta o ringrazialo nel gruppo.
asks-connected-via =
    🤝 Sei in contatto con { $person } per “{ $text }”, grazie a { $connector }.
    La sua nota: { $note }
    Scrivigli; quando è risolta, premi Risolta o ringrazialo nel gruppo.
asks-connected-helper = 🤝 Chi ha chiesto ha detto sì: sei in contatto con { $person } per “{ $text }”. Può scriverti, o scrivigli tu.
asks-connected-helper-via = 🤝 Chi ha chiesto ha detto sì: sei in contatto con { $person } per “{ $text }”, grazie a { $connector }. Può scriverti, o scrivigli tu.

## Percorso tramite un conoscente

asks-connector =
    🧭 <b>{ $name }</b> in <b>{ $title }</b> cerca aiuto:
    “{ $text }”
    Lì nessuno lo offre, ma <b>{ $helper }</b>, che conosci, offre { $tags }. Glielo chiedo, a nome tuo?
asks-connector-declined = Va bene: non glielo chiedo.
asks-connector-agreed = Grazie! Gliel'ho chiesto; se può aiutare, chi ha chiesto lo saprà.
asks-connector-unreachable = Grazie! Non ho potuto scrivergli in privato, quindi non è partito nulla.
asks-connected-connector = 🤝 Grazie a te, { $asker } e { $helper } ora sono in contatto.
asks-never-connector = Capito: non ti chiederò mai di mettere in contatto le persone. Manda /{ -cmd-asks } qui se cambi idea.

## Chiusura

asks-closed = Questa richiesta è chiusa: non ho cambiato nulla.
asks-solved-thanks = ✅ Segnata come risolta: “{ $text }”. Grazie di aver chiuso il cerchio.
asks-solved-by-thanks = ✅ Hai ringraziato chi ti ha aiutato con “{ $text }”: l'ho segnata come risolta.
asks-expired-question =
    ⌛ La tua richiesta si è chiusa allo scadere del tempo: “{ $text }”
    È stata risolta?
asks-expired-unsolved = Grazie di avermelo detto. Puoi chiedere di nuovo quando vuoi con /{ -cmd-ask }.

## Rifiuti

asks-button-stale = Questo pulsante non vale più. Non ho cambiato nulla.
asks-not-yours = Questo pulsante non è per te: non ho cambiato nulla.
asks-not-member = Solo chi è nel gruppo adesso può farlo: non ho cambiato nulla.

## /richieste

asks-none-open = Nessuna richiesta aperta qui. Chiedi con /{ -cmd-ask } e ciò che ti serve.
asks-list-header = { $count ->
        [one] <b>Una richiesta aperta</b>
       *[other] <b>{ $count } richieste aperte</b>
    }
asks-list-line = • { $name }: { $text }
asks-stats-not-admin = Solo gli amministratori vedono i numeri delle richieste.
asks-stats =
    <b>Le richieste in questo gruppo</b>
    Fatte: { $made }
    Con risposta (qualcuno si è offerto): { $answered }
    Risolte: { $solved }
    Tramite qualcuno che un membro conosce: { $warm }
    Tempo mediano al primo “Posso aiutare”: { $hours } h
asks-choices =
    <b>Le richieste e te</b>
    Richieste mandate a te in privato: { $asks ->
        [on] sì
       *[off] no
    }
    Richiesto di mettere in contatto chi conosci: { $connector ->
        [on] sì
       *[off] mai
    }

## /chiedo in privato

asks-choose-group =
    <b>La tua richiesta</b>
    { $text }

    Per quale gruppo è? La pubblicherò lì e lo dirò ai membri che la offrono.
