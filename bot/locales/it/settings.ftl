## /impostazioni: il pannello (handlers/settings_panel.py) e l'elenco delle impostazioni

settings-unknown = Non conosco l'impostazione “{ $name }”. Conosco: { $known }.
settings-panel-hint = Toccate una funzione qui sotto per vederne e cambiarne le impostazioni. Ognuna si può anche scrivere, per esempio /{ -cmd-settings } orariepilogo 18:30.
settings-panel-open-group = 🌍 Lingua, fuso orario, argomento
settings-panel-open-ledger = 🤝 Registro dei grazie
settings-panel-open-prompts = 💬 Spunti
settings-panel-open-recap = 📊 Riepilogo settimanale
settings-panel-open-intros = 👋 Presentazioni
settings-panel-back = ◀ Tutte le impostazioni
settings-panel-done = Fatto
settings-panel-main-chat = Pubblica nella chat principale
settings-panel-closed = ✅ Pannello chiuso: ogni modifica è già salvata. Per riaprirlo inviate /{ -cmd-settings }.
settings-panel-typed = Oppure scrivetelo:

## Rifiuti (l'avviso di un pulsante: testo semplice, al massimo 200 caratteri)

settings-panel-forged = Questo pulsante non fa parte di un pannello delle impostazioni di questo gruppo. Non ho cambiato niente.
settings-panel-not-admin = Solo gli admin del gruppo possono usare questo pannello. Non ho cambiato niente.
settings-panel-stale = Questo pannello ha più di un giorno: invia /{ -cmd-settings } per averne uno nuovo. Non ho cambiato niente.

## Le pagine

settings-language-name = { $language ->
        [it] italiano
       *[en] inglese
    }
settings-panel-group =
    <b>Lingua, fuso orario e argomento</b>
    Lingua: { $language }
    Fuso orario: { $timezone } (ora locale: { $time })
    Dove pubblico: { $topic }
    Benvenuto ai nuovi: { $welcome ->
        [on] sì
       *[off] no
    }

    Toccate una lingua per cambiarla. Per un altro fuso orario scrivete il suo nome nella forma Area/Città, per esempio:
    /{ -cmd-settings } fuso Europe/London
    { $forum ->
        [yes] Per pubblicare in un argomento, inviate /{ -cmd-settings } argomento dall'interno di quell'argomento.
       *[no] Questo gruppo non ha argomenti: pubblico nella chat principale.
    }
settings-panel-ledger =
    <b>Registro dei ringraziamenti</b>
    Stato: { $state ->
        [on] attivo
       *[off] spento
    }
    Grazie che contano per persona al giorno: { $quota }
    Grazie che contano tra le stesse due persone a settimana: { $paircap }
    Reazioni che contano: { $reactions }
settings-panel-prompts =
    <b>Spunti di conversazione</b>
    { $line }
    Fissati in alto: { $pin ->
        [on] sì
       *[off] no
    }
    Se in 30 minuti ci sono più di { $busy ->
        [one] un messaggio
       *[other] { $busy } messaggi
    } aspetto a pubblicare lo spunto.

    Altri giorni, orari o ore di silenzio, da scrivere:
    /{ -cmd-settings } orariospunti lun,gio 09:30
    /{ -cmd-settings } silenzio 23:00-07:00
    Il mazzo, le proposte e l'argomento degli spunti: /{ -cmd-prompts }
settings-panel-recap =
    <b>Riepilogo settimanale</b>
    Stato: { $state ->
        [on] attivo, ogni { $day } alle { $time } (ora del gruppo), { $image ->
            [on] con grafico
           *[off] senza grafico
        }
       *[off] spento
    }

    Un altro orario, da scrivere: /{ -cmd-settings } orariepilogo 18:30
settings-panel-intros =
    <b>Presentazioni</b>
    { $line }

    Un altro orario, da scrivere: /{ -cmd-settings } presentazioniora 18:30
settings-panel-intros-later = Una volta attive, le stesse due persone vengono ripresentate solo dopo { $repeat ->
        [one] un giro
       *[other] almeno { $repeat } giri
    }, e { $followup ->
        [one] il giorno dopo la presentazione
       *[other] { $followup } giorni dopo la presentazione
    } chiedo a entrambe com'è andata.

## Etichette dei pulsanti (testo semplice)

settings-choice-language = { $value ->
        [it] 🇮🇹 Italiano
       *[en] 🇬🇧 English
    }
settings-choice-welcome = { $value ->
        [on] Benvenuto ai nuovi
       *[off] Niente benvenuto
    }
settings-choice-ledger = { $value ->
        [on] Registro attivo
       *[off] Registro spento
    }
settings-choice-quota = { $value } al giorno
settings-choice-paircap = { $value } a coppia
settings-choice-prompts = { $value ->
        [on] Spunti attivi
       *[off] Spunti spenti
    }
settings-choice-promptdays = { $value }
settings-choice-days-weekdays = lun–ven
settings-choice-days-daily = Ogni giorno
settings-choice-prompttime = { $value }
settings-choice-quiethours = { $value ->
        [off] Nessun silenzio
       *[other] Silenzio { $value }
    }
settings-choice-promptpin = { $value ->
        [on] 📌 Fissali
       *[off] Non fissarli
    }
settings-choice-promptbusy = Soglia: { $value }
settings-choice-recap = { $value ->
        [on] Riepilogo attivo
       *[off] Riepilogo spento
    }
settings-choice-recapday = { $value }
settings-choice-recaptime = { $value }
settings-choice-recapimage = { $value ->
        [on] Con grafico
       *[off] Senza grafico
    }
settings-choice-intros = { $value ->
        [on] Presentazioni attive
       *[off] Presentazioni spente
    }
settings-choice-introsevery = { $value ->
        [1] Ogni settimana
        [2] Ogni 2 settimane
       *[other] Ogni { $value } settimane
    }
settings-choice-introsday = { $value }
settings-choice-introstime = { $value }
settings-choice-introsrepeat = { $value ->
        [one] Di nuovo dopo un giro
       *[other] Di nuovo dopo { $value } giri
    }
settings-choice-introsfollowup = { $value ->
        [one] Chiedo dopo un giorno
       *[other] Chiedo dopo { $value } giorni
    }

## Richieste (handlers/asks): la pagina del pannello

settings-panel-open-asks = 🙋 Richieste
settings-panel-asks =
    <b>Richieste</b>
    Le richieste sono { $state ->
        [on] accese
       *[off] spente
    }. Un membro può averne { $open ->
        [one] una aperta
       *[other] { $open } aperte
    } insieme; ognuna va in privato a { $routed ->
        [one] un membro
       *[other] fino a { $routed } membri
    } che la offrono, nessuno ne riceve più di { $weekly ->
        [one] una
       *[other] { $weekly }
    } a settimana, e una richiesta resta aperta { $days ->
        [one] un giorno
       *[other] { $days } giorni
    }.

    A mano: /{ -cmd-settings } richiestescadenza 21
settings-choice-asks = { $value ->
        [on] Richieste accese
       *[off] Richieste spente
    }
settings-choice-askslimit = { $value ->
        [one] Una aperta a testa
       *[other] { $value } aperte a testa
    }
settings-choice-asksrouted = Avvisa { $value }
settings-choice-asksweekly = { $value ->
        [one] Una a settimana a testa
       *[other] { $value } a settimana a testa
    }
settings-choice-asksexpiry = { $value ->
        [one] Un giorno
       *[other] { $value } giorni
    }
settings-asks-set =
    Le richieste sono { $state ->
        [on] accese
       *[off] spente
    }. Un membro può averne { $open ->
        [one] una aperta
       *[other] { $open } aperte
    } insieme; ognuna va in privato a { $routed ->
        [one] un membro
       *[other] fino a { $routed } membri
    } che la offrono, nessuno ne riceve più di { $weekly ->
        [one] una
       *[other] { $weekly }
    } a settimana, e una richiesta resta aperta { $days ->
        [one] un giorno
       *[other] { $days } giorni
    }.
