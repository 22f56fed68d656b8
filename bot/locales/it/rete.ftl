# Rete — messaggi in italiano. Ogni messaggio è HTML di Telegram; gli argomenti vengono
# già protetti (escape) dal codice.

## Menu dei comandi (setMyCommands) e /help

cmd-start = Avvia Rete e scopri cosa fa
cmd-help = Cosa sa fare Rete e i suoi comandi
cmd-privacy = Cosa conserva Rete su di te: vedi, esporta, cancella
cmd-settings = Impostazioni del gruppo per gli admin: lingua, fuso, argomento

help-header-private = <b>Cosa puoi fare qui</b>
help-header-group = <b>Rete in questo gruppo</b>
help-line = /{ $command } — { $description }
help-footer-private = Aggiungimi al gruppo della tua community per trasformarlo in una rete.
help-footer-group = Le impostazioni sono per gli admin; /privacy funziona per tutti, in privato.

## Ingresso in un gruppo

group-welcome =
    👋 Ciao a tutti, sono <b>Rete</b>! Aiuto questo gruppo a diventare una rete: noto chi aiuta chi, presento in privato le persone con interessi in comune, ogni tanto lancio uno spunto di conversazione e ogni settimana pubblico un riepilogo.

    <b>Due passi per gli admin:</b>
    1. Fatemi leggere il gruppo: su @BotFather inviate /setprivacy, scegliete @{ $bot } e selezionate <i>Disable</i>, oppure nominatemi amministratore qui.
    2. Inviate /settings per scegliere lingua, fuso orario e l'argomento in cui pubblico.

    Per tutti: /help elenca cosa so fare, /privacy mostra cosa conservo su di voi.
group-privacy-warning =
    ⚠️ Per ora vedo solo i comandi e le risposte ai miei messaggi: così mi sfuggono i ringraziamenti e l'attività del gruppo.
    Admin, per rimediare nominatemi amministratore qui, oppure su @BotFather inviate /setprivacy, scegliete @{ $bot }, selezionate <i>Disable</i>, poi toglietemi dal gruppo e aggiungetemi di nuovo (Telegram applica la modifica solo allora).

## Chat privata

start-welcome =
    👋 Ciao { $name }, sono <b>Rete</b>.
    Nei gruppi in cui mi trovo aiuto le persone a trasformare una chat in una rete: tengo traccia di chi aiuta chi, presento tra loro persone con interessi in comune (solo chi è d'accordo, qui in privato), lancio spunti di conversazione e pubblico un riepilogo settimanale.
    Ora che hai aperto questa chat posso scriverti qui quando c'è qualcosa per te.

    /help — i comandi
    /privacy — cosa conservo su di te e come cancellarlo

## /settings

settings-current =
    <b>Impostazioni di Rete per { $title }</b>
    Lingua: { $language }
    Fuso orario: { $timezone } (qui ora sono le { $time })
    Dove pubblico: { $topic }
    Sono amministratore qui: { $admin }
    Cosa riesco a leggere: { $reading }

    Per cambiarle:
    /settings lingua it oppure en
    /settings fuso Europe/Rome
    /settings topic — da inviare dentro l'argomento in cui devo pubblicare (/settings topic off per la chat principale)
settings-topic-main = la chat principale
settings-topic-id = l'argomento n. { $id }
settings-yes = sì
settings-no = no
settings-reading-all = tutti i messaggi
settings-reading-commands = solo i comandi e le risposte ai miei messaggi (la modalità privacy è attiva: nominatemi amministratore oppure disattivatela su @BotFather con /setprivacy)
settings-language-set = ✅ D'ora in poi in questo gruppo parlo italiano.
settings-timezone-set = ✅ Fuso orario impostato su { $timezone }: qui ora sono le { $time }.
settings-topic-set = ✅ D'ora in poi pubblico in questo argomento.
settings-topic-cleared = ✅ D'ora in poi pubblico nella chat principale.
settings-topic-not-forum = Questo gruppo non ha argomenti: pubblico nella chat principale.
settings-topic-outside = Invia /settings topic dall'interno dell'argomento in cui devo pubblicare, oppure /settings topic off per la chat principale.
settings-bad-language = Non parlo la lingua “{ $value }”. Puoi scegliere tra: { $allowed }.
settings-bad-timezone = Non conosco il fuso orario “{ $value }”. Usa un nome nella forma Area/Città, per esempio Europe/Rome, Europe/London o America/New_York.
settings-missing-value = Manca il valore, per esempio: /settings { $name } { $example }
settings-unknown = Non conosco l'impostazione “{ $name }”. Conosco: lingua, fuso, topic.
settings-not-admin = Mi dispiace, solo gli admin del gruppo possono cambiare le mie impostazioni.
settings-private = /settings funziona dentro un gruppo, e solo per i suoi admin: invialo lì.

## /privacy

privacy-summary =
    <b>Cosa conserva Rete su di te</b>
    Nome: { $name }
    Username: { $username }
    Lingua: { $language }
    Posso scriverti in privato: { $reachable }
    Compari nelle classifiche e nei riepiloghi: { $shown }
    Gruppi in cui ti ho visto: { $groups }
    { $group_lines }

    Non salvo mai il testo dei tuoi messaggi, solo quanti ne scrivi ogni giorno.
    Nel file qui sotto trovi tutto, in formato JSON.
privacy-group-line = • { $title }: ti vedo dal { $since }, { $messages ->
        [one] un messaggio contato
       *[other] { $messages } messaggi contati
    }
privacy-no-username = nessuno
privacy-yes = sì
privacy-no = no
privacy-nothing = Non conservo nulla su di te.
privacy-export-caption = Tutto quello che Rete conserva su di te.
privacy-button-hide = 🙈 Non mostrarmi in classifiche e riepiloghi
privacy-button-show = 👀 Mostrami in classifiche e riepiloghi
privacy-button-delete = 🗑 Cancella tutto ciò che mi riguarda
privacy-confirm-delete = Sei sicuro? Cancello il tuo profilo, il conteggio della tua attività in tutti i gruppi e tutto il resto che conservo su di te. Non si può annullare.
privacy-button-confirm = Sì, cancella tutto
privacy-button-cancel = No, lascia così
privacy-deleted = Fatto: ho cancellato tutto ciò che conservavo su di te. Se scrivi di nuovo in un gruppo dove sono presente, ricomincio a contare da zero; con /privacy puoi controllare in qualsiasi momento.
privacy-cancelled = Va bene, non ho cancellato nulla.
privacy-hidden-now = 🙈 Fatto: non ti nominerò in classifiche e riepiloghi.
privacy-shown-now = 👀 Fatto: puoi di nuovo comparire in classifiche e riepiloghi.
privacy-in-group = I tuoi dati sono affari tuoi: parliamone in privato.
privacy-open-button = Apri la chat privata
