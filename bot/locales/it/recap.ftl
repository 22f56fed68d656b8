## Riepilogo settimanale

cmd-recap = Gli ultimi sette giorni del gruppo, in breve

recap-title = 📰 <b>La settimana di { $title }</b> · { $first } – { $last }
recap-title-day = 📰 <b>La giornata di { $title }</b> · { $day }
recap-messages = 💬 Messaggi: <b>{ $count }</b> ({ $change })
recap-active = 🙋 Persone attive: <b>{ $count }</b> ({ $change })
recap-new = 👋 Nuovi arrivati: <b>{ $count }</b> ({ $change })
recap-thanks = 🙏 Ringraziamenti: <b>{ $count }</b> ({ $change })
recap-helpers-header = <b>Chi ha aiutato di più</b>
recap-messages-alone = 💬 Messaggi: <b>{ $count }</b>
recap-active-alone = 🙋 Persone attive: <b>{ $count }</b>
recap-new-alone = 👋 Nuovi arrivati: <b>{ $count }</b>
recap-thanks-alone = 🙏 Ringraziamenti: <b>{ $count }</b>
recap-since = 🌱 Sono qui dal { $day }: questi sono i giorni da allora, senza confronto con la settimana prima finché non ne avrò vista una intera.
recap-since-before = 🌱 Sono arrivato il { $day }, quando la settimana prima era già cominciata: niente confronto con quella.
recap-helper-line = { $rank }. { $name } — ha aiutato { $people ->
        [one] una persona
       *[other] { $people } persone
    }
recap-helper-reason = {"    "}<i>“{ $reason }”</i>
recap-helpers-thanks = Grazie a voi: è così che una chat diventa una rete. 💛
recap-newcomers-header = <b>Diamo il benvenuto a</b>
recap-newcomer = 👋 { $name }
recap-newcomer-offers = 👋 { $name } — può dare una mano con { $offers }
recap-newcomers-more = …e { $count ->
        [one] un'altra persona
       *[other] altre { $count } persone
    }
recap-intros = 🤝 <b>Presentazioni:</b> { $made ->
        [one] una questa settimana
       *[other] { $made } questa settimana
    }; { $met ->
        [0] per ora nessuno mi ha detto com'è andata
        [one] una persona mi ha detto di aver già fatto due chiacchiere
       *[other] { $met } persone mi hanno detto di aver già fatto due chiacchiere
    }.
recap-prompt-header = 💡 <b>Lo spunto della settimana</b> ({ $count ->
        [one] ha risposto una persona
       *[other] hanno risposto { $count } persone
    })
recap-prompt-text = <i>{ $text }</i>

recap-nudge-interests = 🏷 { $count ->
        [one] Una persona arrivata da poco non ha ancora detto cosa le interessa
       *[other] { $count } persone arrivate da poco non hanno ancora detto cosa le interessa
    }: con /{ -cmd-interests } raccontate cosa vi piace e in cosa potete dare una mano.
recap-nudge-no-thanks = 🙏 Questa settimana nessuno ha ringraziato nessuno. Chi vi ha dato una mano? Rispondete al suo messaggio con /{ -cmd-thanks }.
recap-nudge-welcome = 👋 { $count ->
        [one] Questa settimana è arrivata una persona nuova: salutatela e chiedetele cosa l'ha portata qui.
       *[other] Questa settimana sono arrivate { $count } persone nuove: salutatele e chiedete cosa le ha portate qui.
    }
recap-nudge-fewer-voices = 🗣 Hanno scritto meno persone della settimana scorsa: una domanda al gruppo è un buon modo per risentirle.
recap-nudge-few-helpers = 🌱 Questa settimana ha aiutato una persona sola: chi se la sente di rispondere alla prossima domanda?
recap-nudge-default = 💬 Qualcuno vi ha dato una mano? Rispondete al suo messaggio con /{ -cmd-thanks }: lo vedrete nel riepilogo della prossima settimana.

recap-quiet = 🌙 <b>Settimana tranquilla in { $title }</b> · { $first } – { $last }
recap-quiet-numbers = { $messages ->
        [0] Nessun messaggio
        [one] Un messaggio
       *[other] { $messages } messaggi
    }{ $members ->
        [0] {""}
        [one] {" "}da una persona
       *[other] {" "}da { $members } persone
    }. Capitano anche settimane così, e sono il momento giusto per chiedere qualcosa al gruppo.
recap-first-week =
    🌱 <b>Primo riepilogo di { $title }</b>
    Non c'è ancora niente da contare: ho appena cominciato ad ascoltare. Scrivete, datevi il benvenuto, ringraziate chi vi aiuta con /{ -cmd-thanks } — la settimana prossima questo riepilogo racconterà la vostra storia.

recap-chart-caption = 📊 { $title }: messaggi e grazie al giorno, questa settimana e la scorsa
recap-chart-messages = Messaggi al giorno
recap-chart-thanks = Grazie al giorno
recap-chart-this-week = questa settimana
recap-chart-last-week = settimana scorsa
recap-weekday = { $day ->
        [0] lunedì
        [1] martedì
        [2] mercoledì
        [3] giovedì
        [4] venerdì
        [5] sabato
       *[6] domenica
    }
recap-weekday-short = { $day ->
        [0] lun
        [1] mar
        [2] mer
        [3] gio
        [4] ven
        [5] sab
       *[6] dom
    }
recap-date = { $day } { $month ->
        [1] gen
        [2] feb
        [3] mar
        [4] apr
        [5] mag
        [6] giu
        [7] lug
        [8] ago
        [9] set
        [10] ott
        [11] nov
       *[12] dic
    }

recap-private = /{ -cmd-recap } funziona dentro un gruppo: invialo lì.
recap-usage = /{ -cmd-recap } pubblica qui gli ultimi sette giorni (una volta all'ora); gli admin con /{ -cmd-recap } anteprima lo ricevono in privato senza pubblicarlo.
recap-too-soon = Un riepilogo è stato pubblicato qui meno di un'ora fa. Riprova dalle ore { $time }.
recap-preview-not-admin = Mi dispiace, l'anteprima del riepilogo è solo per gli admin del gruppo.
recap-preview-header = 👀 <b>Anteprima</b> del riepilogo di { $title } — non pubblicata:
recap-preview-sent = 👀 Ti ho mandato l'anteprima in privato.
recap-preview-open-private = Non posso ancora scriverti in privato: apri la chat con me, premi Avvia e riprova.
recap-rights-lost = Non sono riuscito a pubblicare il riepilogo settimanale in { $title }: non posso più scrivere lì. Ho spento i riepiloghi; quando potrò di nuovo scrivere, un admin può riaccenderli con /{ -cmd-settings } riepilogo on.

settings-recap-line = Riepilogo settimanale: { $state ->
        [on] attivo — { $day } alle { $time } (ora del gruppo), { $image ->
            [on] con grafico
           *[off] senza grafico
        }
       *[off] spento
    }
settings-recap-set = { $state ->
        [on] ✅ Riepilogo settimanale attivo: ogni { $day } alle { $time }.
       *[off] ✅ Riepilogo settimanale spento. /{ -cmd-recap } funziona comunque su richiesta.
    }
settings-recapday-set = ✅ Ora il riepilogo settimanale arriva ogni { $day } alle { $time }.
settings-recaptime-set = ✅ Ora il riepilogo settimanale arriva ogni { $day } alle { $time }.
settings-recapimage-set = { $state ->
        [on] ✅ Il riepilogo arriva con il grafico della settimana.
       *[off] ✅ Il riepilogo arriva senza grafico.
    }

## Richieste (handlers/asks)

recap-asks = 🙋 <b>Richieste:</b> { $solved ->
        [0] nessuna risolta questa settimana
        [one] una risolta questa settimana
       *[other] { $solved } risolte questa settimana
    }{ $waiting ->
        [0] {""}
        [one] , una ancora senza risposta
       *[other] , { $waiting } ancora senza risposta
    }
recap-nudge-open-asks = 🙋 { $count ->
        [one] Una richiesta qui non ha ancora risposta
       *[other] { $count } richieste qui non hanno ancora risposta
    }: /{ -cmd-asks } le mostra. Puoi aiutare, o conosci qualcuno che può?
