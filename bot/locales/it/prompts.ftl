## Spunti di conversazione: /prompts (/spunti), /suggest (/suggerisci), il mazzo di serie

cmd-prompts = Spunti di conversazione: orari, mazzo, pubblica ora (admin)
cmd-suggest = Proponi una domanda per gli spunti del gruppo

prompts-post = 💬 { $text }

prompts-group-only = /{ -cmd-prompts } funziona dentro un gruppo, e solo per i suoi admin: mandalo lì.
prompts-not-admin = Mi spiace, gli spunti li gestiscono gli admin del gruppo. Hai un'idea? Mandala con /{ -cmd-suggest } seguito dalla tua domanda.
prompts-unknown = Non conosco “{ $name }”. Manda /{ -cmd-prompts } per vedere cosa so fare.

prompts-overview =
    <b>Spunti di conversazione in { $title }</b>
    Stato: { $state ->
        [on] attivi
       *[off] spenti
    }
    Quando: { $days } alle { $time } ({ $timezone })
    Il prossimo: { $next }
    Ore di silenzio: { $quiet }
    Dove: { $topic }
    Fisso in alto l'ultimo: { $pin ->
        [on] sì
       *[off] no
    }
    Aspetto se il gruppo è animato: più di { $busy ->
        [one] un messaggio
       *[other] { $busy } messaggi
    } negli ultimi 30 minuti
    Mazzo: { $builtin ->
        [0] nessuno spunto già pronto
        [one] uno spunto già pronto
       *[other] { $builtin } spunti già pronti
    } e { $custom ->
        [0] nessuno scritto da voi
        [one] uno scritto da voi
       *[other] { $custom } scritti da voi
    }
prompts-overview-pin-failed = ⚠️ Non sono riuscito a fissare l'ultimo spunto: dammi il permesso “Fissa messaggi”, oppure togli la funzione con /{ -cmd-prompts } fissa off.
prompts-overview-pending = 📬 Proposte in attesa: { $count } (/{ -cmd-prompts } proposte)
prompts-overview-usage =
    /{ -cmd-prompts } on oppure off
    /{ -cmd-prompts } orario lun,gio 09:30 — giorni e ora (può seguire un fuso, es. Europe/Rome)
    /{ -cmd-prompts } silenzio 22:00-08:00 (oppure off)
    /{ -cmd-prompts } argomento — dall'argomento in cui pubblicare (/{ -cmd-prompts } argomento off: quello di /{ -cmd-settings })
    /{ -cmd-prompts } fissa on oppure off
    /{ -cmd-prompts } soglia 10 — quanti messaggi in 30 minuti vuol dire “animato”
    /{ -cmd-prompts } aggiungi la tua domanda · /{ -cmd-prompts } elenco · /{ -cmd-prompts } rimuovi 3
    /{ -cmd-prompts } ora · /{ -cmd-prompts } prossimo · /{ -cmd-prompts } proposte
prompts-next-none = nessuno (gli spunti sono spenti)
prompts-quiet-none = nessuna
prompts-topic-default = l'argomento scelto in /{ -cmd-settings } ({ $topic })
prompts-topic-own = argomento n. { $id }
prompts-topic-main = la chat principale

prompts-when = { $weekday ->
        [mon] lunedì
        [tue] martedì
        [wed] mercoledì
        [thu] giovedì
        [fri] venerdì
        [sat] sabato
       *[sun] domenica
    } { $date } alle { $time }
prompts-day = { $day ->
        [mon] lun
        [tue] mar
        [wed] mer
        [thu] gio
        [fri] ven
        [sat] sab
       *[sun] dom
    }

prompts-switched = { $state ->
        [on] ✅ Spunti attivi. Il prossimo: { $next }.
       *[off] ✅ Spunti spenti: non lancerò conversazioni qui finché non li riaccendete.
    }
prompts-schedule-set = ✅ Pubblicherò uno spunto { $days } alle { $time } ({ $timezone }). Il prossimo: { $next }.
prompts-schedule-set-off = ✅ Orario salvato: { $days } alle { $time } ({ $timezone }). Gli spunti però sono spenti: /{ -cmd-prompts } on per partire.
prompts-schedule-usage = Indicami giorni e ora, per esempio: /{ -cmd-prompts } orario lun,gio 09:30 (oppure ogni giorno 18:00, feriali 9:00). Può seguire un fuso orario, come Europe/Rome.
prompts-schedule-in-quiet = Le { $time } cadono nelle ore di silenzio ({ $quiet }): non uscirebbe mai niente. Scegli un altro orario, o cambia le ore di silenzio con /{ -cmd-prompts } silenzio.
prompts-bad-quiet = “{ $value }” non è una fascia oraria. Scrivila così: 22:00-08:00, oppure off.
prompts-quiet-set = ✅ Ore di silenzio: { $quiet }. In quella fascia non pubblico nulla.
prompts-quiet-off = ✅ Niente ore di silenzio: gli spunti possono uscire a qualsiasi ora.
prompts-quiet-clash = Gli spunti escono alle { $time }, dentro { $quiet }: con queste ore di silenzio non ne uscirebbe nessuno. Sposta prima gli spunti con /{ -cmd-prompts } orario.
prompts-pin-set = { $state ->
        [on] ✅ Fisserò in alto ogni nuovo spunto e toglierò il precedente (mi serve il permesso “Fissa messaggi”).
       *[off] ✅ Non fisserò più gli spunti.
    }
prompts-pin-usage = Scrivi /{ -cmd-prompts } fissa on oppure /{ -cmd-prompts } fissa off.
prompts-switch-usage = Scrivi /{ -cmd-prompts } on oppure /{ -cmd-prompts } off.
prompts-busy-set = ✅ Se ci sono più di { $value ->
        [one] un messaggio
       *[other] { $value } messaggi
    } in 30 minuti aspetto a pubblicare lo spunto, al massimo per due ore.
prompts-busy-usage = Indica un numero da 1 a 500, per esempio: /{ -cmd-prompts } soglia 10
prompts-topic-set = ✅ Pubblicherò gli spunti in questo argomento.
prompts-topic-cleared = ✅ Gli spunti vanno dove vanno gli altri miei messaggi (/{ -cmd-settings } argomento).
prompts-topic-outside = Manda /{ -cmd-prompts } argomento dall'argomento in cui vuoi gli spunti, oppure /{ -cmd-prompts } argomento off.
prompts-topic-not-forum = Questo gruppo non ha argomenti: gli spunti vanno nella chat principale.

prompts-add-usage = Scrivi la domanda dopo il comando, per esempio: /{ -cmd-prompts } aggiungi Cosa avete imparato questa settimana?
prompts-too-long = Sono { $length } caratteri: uno spunto può averne al massimo { $limit }. Prova ad accorciarlo.
prompts-too-long-marks = Contiene troppi segni &lt;, &gt; e &amp; per pubblicarlo intero: ognuno occupa lo spazio di più lettere. Prova ad accorciarlo.
prompts-added = ✅ Aggiunto come numero { $number }. I vostri spunti escono prima di quelli già pronti.
prompts-add-duplicate = Questo spunto c'è già nel mazzo.

prompts-list-header = <b>Il mazzo degli spunti</b> (pagina { $page } di { $pages }, { $total ->
        [one] uno spunto
       *[other] { $total } spunti
    }, prima i vostri)
prompts-list-line = { $number }. { $text } — { $record }
prompts-list-own = ✍️
prompts-list-never = mai uscito
prompts-list-record = { $posts ->
        [one] uscito una volta
       *[other] uscito { $posts } volte
    }, { $replies ->
        [0] nessuna risposta
        [one] ha risposto una persona
       *[other] hanno risposto { $replies } persone
    }
prompts-list-more = Continua: /{ -cmd-prompts } elenco { $next }
prompts-list-footer = Per toglierne uno: /{ -cmd-prompts } rimuovi seguito dal numero.
prompts-list-bad-page = { $pages ->
        [one] C'è una pagina sola: /{ -cmd-prompts } elenco.
       *[other] Le pagine sono { $pages }: chiedine una, per esempio /{ -cmd-prompts } elenco 2.
    }

prompts-remove-usage = Dimmi quale con il suo numero in /{ -cmd-prompts } elenco, per esempio: /{ -cmd-prompts } rimuovi 3
prompts-remove-missing = Non c'è uno spunto numero { $value }: { $total ->
        [0] il mazzo è vuoto
        [one] nel mazzo ce n'è uno solo
       *[other] nel mazzo ce ne sono { $total }
    }. Guarda /{ -cmd-prompts } elenco.
prompts-remove-not-number = “{ $value }” non è un numero che so leggere: usa le cifre da 0 a 9, per esempio /{ -cmd-prompts } rimuovi 3.
prompts-removed = ✅ Tolto: { $text }

prompts-now-empty = Il mazzo è vuoto: aggiungi uno spunto con /{ -cmd-prompts } aggiungi.
prompts-now-failed = Non sono riuscito a pubblicare lo spunto. Controllate che possa ancora scrivere nel gruppo.
prompts-next = Il prossimo spunto: { $when } ({ $timezone }).
prompts-next-off = Gli spunti sono spenti in questo gruppo. /{ -cmd-prompts } on per farli partire.
prompts-next-held = In questo momento ne sto trattenendo uno perché il gruppo è animato: riprovo alle ore { $time }.

prompts-rights-lost = ⚠️ Non posso più scrivere in { $title }, quindi ho spento gli spunti del gruppo. Quando potrò di nuovo scrivere, un admin può riattivarli lì con /{ -cmd-prompts } on.

## /suggest (/suggerisci)

prompts-suggest-usage = Scrivi la tua domanda dopo il comando, per esempio: /{ -cmd-suggest } Qual è il consiglio migliore che avete ricevuto quest'anno?
prompts-suggest-private = Manda /{ -cmd-suggest } nel gruppo per cui vuoi proporre lo spunto: decideranno i suoi admin.
prompts-suggest-too-long = Sono { $length } caratteri: una proposta può averne al massimo { $limit }.
prompts-suggest-too-long-marks = Contiene troppi segni &lt;, &gt; e &amp; per passarla intera agli admin: ognuno occupa lo spazio di più lettere. Prova ad accorciarla.
prompts-suggest-thanks = 🙏 Grazie { $name }! Ho girato la tua proposta agli admin.
prompts-suggest-thanks-later = 🙏 Grazie { $name }! Gli admin troveranno la tua proposta con /{ -cmd-prompts } proposte.
prompts-suggest-dm =
    💡 <b>{ $name }</b> propone uno spunto per { $title }:

    { $text }
prompts-suggest-approve = ✅ Approva
prompts-suggest-reject = ❌ Scarta
prompts-suggest-approved = ✅ Approvata da { $admin }: ora è nel mazzo di { $title }.
prompts-suggest-rejected = ❌ Scartata da { $admin }.
prompts-suggest-already = { $status ->
        [approved] Questa proposta è già stata approvata.
       *[rejected] Questa proposta è già stata scartata.
    }
prompts-suggest-gone = Questa proposta non esiste più.
prompts-suggest-not-admin = Sulle proposte decidono gli admin del gruppo.
prompts-suggest-done-approved = Approvata ✅
prompts-suggest-done-rejected = Scartata ❌
prompts-suggest-approved-author = 🎉 La tua proposta di spunto per { $title } è stata approvata: uscirà presto nel gruppo.
prompts-suggestions-header = <b>Proposte in attesa</b>
prompts-suggestions-empty = Nessuna proposta in attesa.

## Il mazzo di serie (scritto per chi parla italiano, non tradotto dall'inglese)

prompts-deck-01 = Chi vi ha dato una mano questa settimana, anche in piccolo? Taggatelo e raccontateci com'è andata.
prompts-deck-02 = Su cosa state lavorando in questi giorni? Magari qualcuno qui può darvi una dritta.
prompts-deck-03 = In cosa potreste aiutare gli altri questo mese? Siate concreti: “ti rivedo il CV”, “con i fogli di calcolo me la cavo”…
prompts-deck-04 = Siete arrivati da poco? Presentatevi: chi siete, di cosa vi occupate e cosa vi ha portato qui.
prompts-deck-05 = Qual è l'ultima risorsa (un articolo, un libro, uno strumento, un video) che vi ha fatto risparmiare tempo? Condividete il link.
prompts-deck-06 = Momento dediche: il messaggio di chi, qui dentro, vi ha migliorato la settimana?
prompts-deck-07 = Un errore che avete fatto all'inizio e che potreste risparmiare a chi comincia adesso?
prompts-deck-08 = Se poteste fare venti minuti di chiacchiere con qualcuno di questo gruppo, cosa chiedereste?
prompts-deck-09 = Cosa state imparando in questo periodo? Magari qualcuno qui c'è già passato e vi dà una mano.
prompts-deck-10 = Ditemi cosa vi appassiona e vi presento in privato a chi ha i vostri stessi interessi: /{ -cmd-interests }
prompts-deck-11 = C'è una domanda che non avete mai osato fare qui? Oggi è il giorno giusto.
prompts-deck-12 = Raccontateci una piccola vittoria di questa settimana. Non serve che sia enorme, ci fa piacere lo stesso.
prompts-deck-13 = Conoscete qualcuno che starebbe benissimo in questo gruppo? Chi è, e perché?
prompts-deck-14 = Il consiglio più utile che vi abbia mai dato un collega?
prompts-deck-15 = State cercando qualcosa? Un lavoro, un socio, una casa, un buon commercialista: scrivetelo qui, qualcuno conosce sempre qualcuno.
prompts-deck-16 = Di cosa sapete un sacco, anche se non c'entra niente col vostro lavoro?
prompts-deck-17 = Lo strumento o l'app senza cui non riuscireste a lavorare? E a cosa vi serve?
prompts-deck-18 = Cosa vorreste che questa community facesse di più?
prompts-deck-19 = Chi vi ha insegnato qualcosa di recente? Ditegli grazie qui, gli farà piacere.
prompts-deck-20 = Nella vostra azienda cercano qualcuno, o sapete chi sta assumendo? Ditelo: la persona giusta potrebbe leggere.
prompts-deck-21 = Cosa avete scoperto questa settimana che avreste voluto sapere un anno fa?
prompts-deck-22 = Avete in programma un evento, un talk o un meetup che potrebbe interessare anche agli altri? Segnalatelo qui.
prompts-deck-23 = Spiegate il vostro lavoro con una frase che capirebbe anche un bambino di dieci anni.
prompts-deck-24 = Dove vi siete incagliati? Descrivete il problema in due righe: uno sguardo fresco aiuta sempre.
prompts-deck-25 = Chi è stato d'aiuto qui senza farsi notare? Rispondete a un suo messaggio con /{ -cmd-thanks }, così resta scritto.
prompts-deck-26 = Un libro, un podcast o una newsletter che consigliereste a tutti qui dentro?
prompts-deck-27 = Cosa sareste felici di insegnare in una chiamata di un quarto d'ora?
prompts-deck-28 = Da che città ci scrivete oggi? Magari c'è qualcuno del gruppo a due passi.
prompts-deck-29 = Un obiettivo per il mese prossimo per cui possiamo fare il tifo?
prompts-deck-30 = Del lavoro di chi, qui dentro, vorreste sapere di più? Chiedeteglielo.
prompts-deck-31 = Volete conoscere persone con i vostri stessi interessi? Con /{ -cmd-interests } ditemi cosa sapete offrire e cosa cercate: vi presento io, in privato.
prompts-deck-32 = Avete una domanda che vorreste fare a tutto il gruppo? Proponetela con /{ -cmd-suggest } e potrebbe diventare uno dei prossimi spunti.

## La riga degli spunti in /settings

prompts-settings-line = Spunti: { $state ->
        [on] attivi — { $days } alle { $time }, ore di silenzio { $quiet }
       *[off] spenti
    } (/{ -cmd-prompts } per cambiarli)

prompts-quiet-warning = ⚠️ Le { $time } cadono nelle ore di silenzio ({ $quiet }): non uscirà nessuno spunto finché non spostate l'uno o le altre.
prompts-suggest-enough = { $count ->
        [one] Hai già una proposta in attesa degli admin: lascia che la guardino prima di mandarne altre.
       *[other] Hai già { $count } proposte in attesa degli admin: lascia che le guardino prima di mandarne altre.
    }
prompts-suggest-day-full = Oggi gli admin hanno già ricevuto parecchie proposte da questo gruppo: manda la tua domani.
