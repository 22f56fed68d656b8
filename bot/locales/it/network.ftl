# La tua rete: legami, promemoria per restare in contatto, la nota mensile (handlers/network/).

-cmd-network = contatti
cmd-network = La tua rete: le persone a cui sei legato qui, e restare in contatto

## /contatti

network-in-private = La tua rete è solo tua: te la mostro in privato.
network-open-private = Apri la mia rete
network-empty =
    <b>La tua rete</b>
    Non hai ancora legami. Un legame nasce quando succede qualcosa tra te e un altro membro: ti presento io (/{ -cmd-intros }), vi ringraziate per un aiuto (/{ -cmd-thanks }), uno di voi risponde alla richiesta dell'altro (/{ -cmd-ask }), o qualcuno vi presenta a mano. Nessuno deve scrivere niente: me lo ricordo io per te.
network-header = <b>La tua rete</b>: { $ties ->
        [one] un legame
       *[other] { $ties } legami
    } con { $people ->
        [one] una persona
       *[other] { $people } persone
    }
network-layers = { $active ->
        [0] Nessuno negli ultimi 3 mesi.
        [one] In contatto negli ultimi 3 mesi: una persona.
       *[other] In contatto negli ultimi 3 mesi: { $active } persone.
    } { $layer ->
        [0] Gli strati di Dunbar (5 · 15 · 50 · 150) sono un'indicazione, non una regola.
       *[other] Strati di Dunbar (5 · 15 · 50 · 150): dentro lo strato dei { $layer }. Un'indicazione, non una regola.
    }
network-group = <b>{ $title }</b>
network-tie = { $number }. <b>{ $name }</b> — { $how } · ultimo contatto { $last }
network-page = Pagina { $page } di { $pages }
network-how-met = vi siete incontrati il { $date }
network-how-introduced = presentati il { $date }
network-how-via = conosciuti tramite { $name }
network-how-ask = { $count ->
        [one] in contatto grazie a una richiesta
       *[other] in contatto grazie a { $count } richieste
    }
network-how-helped-you = { $count ->
        [one] ti ha aiutato una volta
       *[other] ti ha aiutato { $count } volte
    }
network-how-you-helped = { $count ->
        [one] l'hai aiutato una volta
       *[other] l'hai aiutato { $count } volte
    }
network-how-talked = { $count ->
        [one] vi siete sentiti una volta
       *[other] vi siete sentiti { $count } volte
    }
network-card =
    <b>{ $name }</b> in <b>{ $title }</b>
    { $how }
    Ultimo contatto: { $last }
    { $reminder }
network-reminder-none = Nessun promemoria per farti sentire.
network-reminder-set = Ti ricorderò di farti sentire il { $date }, se nel frattempo non vi sarete sentiti.
network-button-previous = ◀ Precedenti
network-button-next = Successivi ▶
network-button-note-on = 🗓 Mandami una nota mensile
network-button-note-off = 🗓 Basta nota mensile
network-button-remind = { $months ->
        [one] ⏰ Tra 1 mese
       *[other] ⏰ Tra { $months } mesi
    }
network-button-talked = 💬 Ci siamo sentiti
network-button-introduce = 🤝 Presenta a…
network-button-stop = 🔕 Basta promemoria
network-button-later = ⏰ Ricordamelo più avanti
network-button-back = ◀ Indietro
network-button-introduce-to = { $name }

## Risposte ai pulsanti (testo semplice)

network-button-refused = Questi pulsanti appartengono alla rete di qualcun altro.
network-page-gone = Quella pagina non esiste più: ecco la più vicina.
network-note-chosen = Fatto: una volta al mese ti manderò una nota sulla tua rete.
network-note-stopped = Fatto: niente più note mensili.
network-note-unknown = Non ti conosco ancora da nessun gruppo: la nota mensile parla dei tuoi legami lì.
network-remind-set = { $months ->
        [one] Fatto: te lo ricorderò tra un mese, se prima non vi sarete sentiti.
       *[other] Fatto: te lo ricorderò tra { $months } mesi, se prima non vi sarete sentiti.
    }
network-talked-noted = Annotato: vi siete sentiti oggi.
network-tie-gone = Quel legame non è (più) nella tua rete: non ho cambiato niente.
network-reminder-gone = Non c'è più un promemoria per questa persona.
network-later-set = Va bene, te lo ricorderò di nuovo tra due settimane.
network-stopped = Va bene, niente più promemoria per questa persona.

## Restare in contatto

network-reminder-dm =
    👋 È da un po' che non ti senti con <b>{ $name }</b> (<b>{ $title }</b>).
    { $how }
    Ultimo contatto: { $last }
    Basta un messaggio per tenere vivo un legame.

## Presenta a…

network-introduce-pick = A chi vuoi presentare <b>{ $name }</b>? Lo chiederò prima a entrambi, e non succede niente se non accettano tutti e due.
network-introduce-none = Non hai altri legami in questo gruppo a cui presentarlo.
network-introduce-not-member = Uno dei due non è più nel gruppo.
network-introduce-cannot = Non posso presentare queste due persone.
network-introduce-asked = Fatto: l'ho chiesto a entrambi. Se accettano, li presento e sarai tu ad averli messi in contatto.
network-introduce-waiting = L'ho chiesto a chi posso raggiungere; l'altra persona deve prima aprire una chat privata con me.
network-introduce-already = Hai già proposto queste due persone, oppure sono già state interpellate o presentate: non lo chiederò di nuovo.
network-introduce-limit = Puoi proporre { $count ->
        [one] una presentazione
       *[other] { $count } presentazioni
    } ogni 24 ore: riprova domani.

## /profilo e il riepilogo settimanale

network-profile-connected = 🤝 { $count ->
        [one] Ha messo in contatto una persona
       *[other] Ha messo in contatto { $count } persone
    } (presentazioni e richieste accettate da entrambi)

## La nota mensile

network-note-title = 🗓 <b>La tua rete a { $month }</b>
network-note-helped = Hai aiutato: { $names }
network-note-helped-by = Ti hanno aiutato: { $names }
network-note-introduced = Ti ho presentato: { $names }
network-note-connected = { $count ->
        [one] Hai messo in contatto una persona
       *[other] Hai messo in contatto { $count } persone
    }
network-note-quiet = Non vi sentite da un po': { $names }
network-note-suggestion = Qualcuno che offre quello che cerchi: { $name } ({ $tag })
network-note-ask = Una richiesta a cui potresti rispondere, in <b>{ $title }</b>: { $name } cerca aiuto con { $tags }. Lì /{ -cmd-asks } la mostra.
network-note-nothing = Un mese tranquillo: i tuoi legami sono lì quando vuoi.
network-note-footer = Hai scelto questa nota in /{ -cmd-network }; lo stesso pulsante la ferma.
network-recap-connectors = 🤝 Chi ha messo in contatto altri questa settimana, con una presentazione o una richiesta: { $names }
