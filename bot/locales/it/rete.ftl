# Rete — messaggi in italiano. Ogni messaggio è HTML di Telegram; gli argomenti vengono
# già protetti (escape) dal codice.

## Nomi dei comandi in italiano: li mostrano i menu, /aiuto e ogni messaggio. Sono la stessa
## lista di bot/commands.py (i test controllano che coincidano). Un messaggio nomina un comando
## così: /{ -cmd-thanks }, mai scrivendo il nome a mano.

-cmd-start = start
-cmd-help = aiuto
-cmd-thanks = grazie
-cmd-helpers = classifica
-cmd-profile = profilo
-cmd-recap = riepilogo
-cmd-privacy = privacy
-cmd-settings = impostazioni
-cmd-ledger = registro
-cmd-unthank = annullagrazie
-cmd-suggest = suggerisci
-cmd-prompts = spunti
-cmd-interests = interessi
-cmd-intros = presentazioni
-cmd-meet = incontra
-cmd-whoknows = chisa
-cmd-introduce = presenta
-cmd-ask = chiedo
-cmd-asks = richieste

## Menu dei comandi (setMyCommands) e /help

cmd-start = Avvia Rete e scopri cosa fa
cmd-help = Cosa sa fare Rete e i suoi comandi
cmd-privacy = Cosa conserva Rete su di te: vedi, esporta, cancella
cmd-settings = Impostazioni del gruppo per gli admin: lingua, fuso, argomento
cmd-thanks = Rispondi a un messaggio per ringraziare chi l'ha scritto
cmd-helpers = Chi aiuta di più qui (7d, 30d o all)
cmd-profile = Chi ha aiutato e chi ha ringraziato (in risposta, con @username o per te)
cmd-ledger = Esporta il registro dei ringraziamenti in CSV (admin)
cmd-unthank = Annulla il grazie del messaggio a cui rispondi (admin)

help-header-private = <b>Cosa puoi fare qui</b>
help-header-group = <b>Rete in questo gruppo</b>
help-line = /{ $command } — { $description }
help-footer-private = Aggiungimi al gruppo della tua community per trasformarlo in una rete.
help-footer-group = Le impostazioni sono per gli admin; /{ -cmd-privacy } funziona per tutti, in privato.

## Cosa mostra Telegram prima che qualcuno scriva (setMyDescription, setMyShortDescription): testo semplice, niente HTML

bot-description = Rete aiuta il gruppo di una community a diventare una rete: nota chi aiuta chi, presenta in privato le persone con interessi in comune (solo chi è d'accordo), ogni tanto lancia uno spunto di conversazione e ogni settimana pubblica un riepilogo. Aggiungi Rete al tuo gruppo, oppure premi Avvia per scoprire cosa può fare per te. Parla italiano e inglese.
bot-short-description = Trasforma il gruppo della tua community in una rete: ringraziamenti, presentazioni, spunti e un riepilogo settimanale.

## Ingresso in un gruppo

group-welcome =
    👋 Ciao a tutti, sono <b>Rete</b>! Aiuto questo gruppo a diventare una rete: noto chi aiuta chi, presento in privato le persone con interessi in comune, ogni tanto lancio uno spunto di conversazione e ogni settimana pubblico un riepilogo.

    <b>Due passi per gli admin:</b>
    1. Fatemi leggere il gruppo: su @BotFather inviate /setprivacy, scegliete @{ $bot } e selezionate <i>Disable</i>, oppure nominatemi amministratore qui.
    2. Inviate /{ -cmd-settings } per scegliere lingua, fuso orario e l'argomento in cui pubblico.

    Per tutti: /{ -cmd-help } elenca cosa so fare, /{ -cmd-privacy } mostra cosa conservo su di voi.
group-privacy-warning =
    ⚠️ Per ora vedo solo i comandi e le risposte ai miei messaggi: così mi sfuggono i ringraziamenti e l'attività del gruppo.
    Admin, per rimediare nominatemi amministratore qui, oppure su @BotFather inviate /setprivacy, scegliete @{ $bot }, selezionate <i>Disable</i>, poi toglietemi dal gruppo e aggiungetemi di nuovo (Telegram applica la modifica solo allora).

## Chat privata

start-welcome =
    👋 Ciao { $name }, sono <b>Rete</b>.
    Nei gruppi in cui mi trovo aiuto le persone a trasformare una chat in una rete: tengo traccia di chi aiuta chi, presento tra loro persone con interessi in comune (solo chi è d'accordo, qui in privato), lancio spunti di conversazione e pubblico un riepilogo settimanale.
    Ora che hai aperto questa chat posso scriverti qui quando c'è qualcosa per te.

    /{ -cmd-help } — i comandi
    /{ -cmd-privacy } — cosa conservo su di te e come cancellarlo

## /settings

settings-current =
    <b>Impostazioni di Rete per { $title }</b>
    Lingua: { $language }
    Fuso orario: { $timezone } (ora locale: { $time })
    Dove pubblico: { $topic }
    Sono amministratore qui: { $admin }
    Cosa riesco a leggere: { $reading }

    Per cambiarle:
    /{ -cmd-settings } lingua it oppure en
    /{ -cmd-settings } fuso Europe/Rome
    /{ -cmd-settings } argomento — da inviare dentro l'argomento in cui devo pubblicare (/{ -cmd-settings } argomento off per la chat principale)
settings-topic-main = la chat principale
settings-topic-id = l'argomento n. { $id }
settings-yes = sì
settings-no = no
settings-reading-all = tutti i messaggi
settings-reading-commands = solo i comandi e le risposte ai miei messaggi (la modalità privacy è attiva: nominatemi amministratore oppure disattivatela su @BotFather con /setprivacy)
settings-language-set = ✅ D'ora in poi in questo gruppo parlo italiano.
settings-timezone-set = ✅ Fuso orario impostato su { $timezone }: l'ora locale è { $time }.
settings-topic-set = ✅ D'ora in poi pubblico in questo argomento.
settings-topic-cleared = ✅ D'ora in poi pubblico nella chat principale.
settings-topic-not-forum = Questo gruppo non ha argomenti: pubblico nella chat principale.
settings-topic-outside = Invia /{ -cmd-settings } argomento dall'interno dell'argomento in cui devo pubblicare, oppure /{ -cmd-settings } argomento off per la chat principale.
settings-bad-language = Non parlo la lingua “{ $value }”. Puoi scegliere tra: { $allowed }.
settings-bad-timezone = Non conosco il fuso orario “{ $value }”. Usa un nome nella forma Area/Città, per esempio Europe/Rome, Europe/London o America/New_York.
settings-missing-value = Manca il valore, per esempio: /{ -cmd-settings } { $name } { $example }
settings-not-admin = Mi dispiace, solo gli admin del gruppo possono cambiare le mie impostazioni.
settings-private = /{ -cmd-settings } funziona dentro un gruppo, e solo per i suoi admin: invialo lì.
settings-ledger-line = Registro dei ringraziamenti: { $state ->
        [on] attivo — fino a { $quota } grazie al giorno per persona, le stesse due persone al massimo { $paircap } a settimana; reazioni che contano: { $reactions }
       *[off] spento
    }
settings-reactions-need-admin = Le reazioni contano solo finché sono amministratore qui.
settings-ledger-usage =
    /{ -cmd-settings } registro sì oppure no
    /{ -cmd-settings } reazioni 🙏 👍 (oppure off)
    /{ -cmd-settings } limite 5 — grazie che contano per persona al giorno
    /{ -cmd-settings } coppia 3 — grazie che contano tra le stesse due persone a settimana
settings-ledger-set = { $state ->
        [on] ✅ Il registro dei ringraziamenti è attivo: torno a notare i grazie.
       *[off] ✅ Il registro dei ringraziamenti è spento: in questo gruppo non registro più i grazie.
    }
settings-reactions-set = { $reactions ->
        [none] ✅ Le reazioni non danno più credito.
       *[other] ✅ Ora danno credito queste reazioni: { $reactions }
    }
settings-quota-set = { $value ->
        [one] ✅ Conta solo il primo grazie al giorno di ciascuno.
       *[other] ✅ Contano i primi { $value } grazie al giorno di ciascuno.
    }
settings-paircap-set = { $value ->
        [one] ✅ Tra le stesse due persone conta al massimo un grazie a settimana.
       *[other] ✅ Tra le stesse due persone contano al massimo { $value } grazie a settimana.
    }
settings-bad-switch = “{ $value }” non è né on né off.
settings-bad-number = “{ $value }” non è un numero intero da { $low } a { $high }.
settings-bad-reactions = “{ $value }” non è un elenco di massimo 10 emoji, per esempio: 🙏 👍 🔥

## Registro dei ringraziamenti

ledger-group-only = Questo funziona in un gruppo: usalo lì.
ledger-off = In questo gruppo il registro dei ringraziamenti è spento (un admin può attivarlo con /{ -cmd-settings } registro on).
ledger-thanks-no-reply = Rispondi al messaggio della persona che vuoi ringraziare con /{ -cmd-thanks } e, se vuoi, il motivo.
ledger-thanks-self = Ringraziarsi da soli non vale, ma il pensiero è apprezzato 🙂
ledger-thanks-bot = I bot non hanno bisogno di grazie: ringrazia la persona che ti ha aiutato.
ledger-not-a-person = Quel messaggio l'ha mandato un canale o un admin anonimo, non una persona a cui posso attribuire il grazie.
ledger-anonymous = Stai scrivendo come gruppo o come canale: i ringraziamenti devono venire da una persona.
ledger-quota-reached = { $quota ->
        [one] Oggi in { $title } hai già ringraziato qualcuno: continua pure, registro tutto, ma in classifica conta solo il primo grazie del giorno. A domani!
       *[other] Oggi in { $title } hai già detto grazie { $quota } volte: continua pure, registro tutto, ma in classifica contano solo i primi { $quota }. A domani!
    }
ledger-helpers-bad-period = “{ $value }” non è un periodo che conosco: usa 7d, 30d o all.
ledger-helpers-empty = { $period ->
        [week] Negli ultimi 7 giorni qui nessuno ha ricevuto un grazie.
        [month] Negli ultimi 30 giorni qui nessuno ha ricevuto un grazie.
       *[all] Qui nessuno ha ancora ricevuto un grazie.
    } Rispondete a un messaggio utile con /{ -cmd-thanks } per cominciare!
ledger-helpers-header = <b>Chi ha aiutato di più { $period ->
        [week] negli ultimi 7 giorni
        [month] negli ultimi 30 giorni
       *[all] da sempre
    }</b>
ledger-helpers-line = { $rank }. { $name } — ha aiutato { $people ->
        [one] una persona
       *[other] { $people } persone
    } ({ $credits ->
        [one] un grazie
       *[other] { $credits } grazie
    })
ledger-profile-unknown = Non conosco ancora { $name } in questo gruppo.
ledger-profile-hidden = { $name } preferisce non comparire nelle classifiche.
ledger-profile =
    <b>{ $name }</b>{ $since }
    Persone aiutate: { $people7 } negli ultimi 7 giorni, { $people30 } negli ultimi 30, { $peopleall } in tutto
    Ringraziamenti ricevuti: { $credits7 } in 7 giorni, { $credits30 } in 30, { $creditsall } in tutto
    { $helped }
    { $helpedby }
ledger-profile-since = , nel gruppo { $since }
ledger-profile-helped = Ha ricevuto più grazie da: { $names }
ledger-profile-helped-by = Ha detto più grazie a: { $names }
ledger-profile-nobody = ancora nessuno
ledger-usage = Usa /{ -cmd-ledger } esporta: ti mando in privato tutti i ringraziamenti del gruppo in un file CSV.
ledger-not-admin = Solo gli admin del gruppo possono farlo.
ledger-export-sent = 📄 Ti ho mandato il registro dei ringraziamenti in privato.
ledger-export-open-private = Non posso ancora scriverti in privato: apri la chat con me, premi Avvia, poi invia di nuovo /{ -cmd-ledger } esporta qui.
ledger-export-caption = Registro dei ringraziamenti di { $title }: ogni grazie, contato o no, e quelli annullati.
ledger-unthank-no-reply = Rispondi con /{ -cmd-unthank } al messaggio che contiene il grazie da annullare.
ledger-unthank-done = { $count ->
        [one] ✅ Ho annullato un grazie. Resta nell'esportazione, segnato come annullato.
       *[other] ✅ Ho annullato { $count } grazie. Restano nell'esportazione, segnati come annullati.
    }
ledger-unthank-none = In quel messaggio non c'è nessun grazie da annullare.

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
privacy-group-line = • { $title }: ti conosco { $since }, { $messages ->
        [0] nessun messaggio contato
        [one] un messaggio contato
       *[other] { $messages } messaggi contati
    }
privacy-groups-more = • …e { $count ->
        [one] un altro gruppo
       *[other] altri { $count } gruppi
    }: li trovi tutti nel file qui sotto.
privacy-no-username = nessuno
privacy-yes = sì
privacy-no = no
privacy-nothing = Non conservo nulla su di te.
privacy-export-caption = Tutto quello che Rete conserva su di te.
privacy-button-hide = 🙈 Non mostrarmi in classifiche e riepiloghi
privacy-button-show = 👀 Mostrami in classifiche e riepiloghi
privacy-button-delete = 🗑 Cancella tutto ciò che mi riguarda
privacy-confirm-delete = Vuoi davvero? Cancello il tuo profilo, il conteggio della tua attività in tutti i gruppi e tutto il resto che conservo su di te. Non si potrà tornare indietro.
privacy-button-confirm = Sì, cancella tutto
privacy-button-cancel = No, lascia così
privacy-deleted = Fatto: ho cancellato tutto ciò che conservavo su di te. Se scrivi di nuovo in un gruppo dove ci sono anch'io, ricomincio a contare da zero; con /{ -cmd-privacy } puoi controllare in qualsiasi momento.
privacy-cancelled = Va bene, non ho cancellato nulla.
privacy-hidden-now = 🙈 Fatto: non ti nominerò in classifiche e riepiloghi.
privacy-shown-now = 👀 Fatto: puoi di nuovo comparire in classifiche e riepiloghi.
privacy-in-group = Dei tuoi dati parliamo in privato: qui li leggerebbe tutto il gruppo.
privacy-open-button = Apri la chat privata

## Regole di fiducia: chi può fare cosa (un rifiuto non cambia nulla)

trust-not-member = Mi dispiace, è solo per chi fa parte di quel gruppo adesso.
trust-not-admin = Mi dispiace, possono farlo solo gli admin del gruppo.
trust-not-owner = Mi dispiace, non è tuo: appartiene a un'altra persona.
trust-no-consent = Non posso scrivere in privato a quella persona: non ha ancora avviato una chat con me.
trust-not-a-person = Mi dispiace, per questo devo sapere chi sei: scrivi dal tuo account, non come gruppo o canale.
trust-too-often = L'hai chiesto molte volte in poco tempo: riprova tra qualche minuto.
