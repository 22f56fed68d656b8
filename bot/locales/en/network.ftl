# Your network: ties, keep-in-touch reminders, the monthly note (handlers/network/).

-cmd-network = network
cmd-network = Your network: the people you are tied to here, and keeping in touch

## /network

network-in-private = Your network is yours alone: I show it in private.
network-open-private = Open my network
network-empty =
    <b>Your network</b>
    You have no ties yet. A tie forms when something happens between you and another member: I introduce you (/{ -cmd-intros }), you thank each other for help (/{ -cmd-thanks }), one of you answers the other's ask (/{ -cmd-ask }), or someone introduces you by hand. Nobody has to type anything: I remember it for you.
network-header = <b>Your network</b>: { $ties ->
        [one] one tie
       *[other] { $ties } ties
    } with { $people ->
        [one] one person
       *[other] { $people } people
    }
network-layers = { $active ->
        [0] Nobody in the last 3 months.
        [one] Active in the last 3 months: one person.
       *[other] Active in the last 3 months: { $active } people.
    } { $layer ->
        [0] Dunbar's layers (5 · 15 · 50 · 150) are a hint, not a rule.
       *[other] Dunbar's layers (5 · 15 · 50 · 150): within the { $layer } layer. A hint, not a rule.
    }
network-group = <b>{ $title }</b>
network-tie = { $number }. <b>{ $name }</b> — { $how } · last in touch { $last }
network-page = Page { $page } of { $pages }
network-how-met = met on { $date }
network-how-introduced = introduced on { $date }
network-how-via = met through { $name }
network-how-ask = { $count ->
        [one] connected through an ask
       *[other] connected through { $count } asks
    }
network-how-helped-you = { $count ->
        [one] helped you once
        [2] helped you twice
       *[other] helped you { $count } times
    }
network-how-you-helped = { $count ->
        [one] you helped them once
        [2] you helped them twice
       *[other] you helped them { $count } times
    }
network-how-talked = { $count ->
        [one] you talked once
       *[other] you talked { $count } times
    }
network-card =
    <b>{ $name }</b> in <b>{ $title }</b>
    { $how }
    Last in touch: { $last }
    { $reminder }
network-reminder-none = No reminder to get in touch.
network-reminder-set = I'll remind you to get in touch on { $date } if you haven't been in touch by then.
network-button-previous = ◀ Previous
network-button-next = Next ▶
network-button-note-on = 🗓 Send me a monthly note
network-button-note-off = 🗓 Stop the monthly note
network-button-remind = { $months ->
        [one] ⏰ In 1 month
       *[other] ⏰ In { $months } months
    }
network-button-talked = 💬 We talked
network-button-introduce = 🤝 Introduce to…
network-button-stop = 🔕 Stop reminding
network-button-later = ⏰ Remind me later
network-button-back = ◀ Back
network-button-introduce-to = { $name }

## Button answers (plain text)

network-button-refused = These buttons belong to someone else's network.
network-page-gone = That page no longer exists: here is the closest one.
network-note-chosen = Done: once a month I'll send you a note about your network.
network-note-stopped = Done: no more monthly notes.
network-note-unknown = I don't know you from any group yet: the monthly note is about your ties there.
network-remind-set = { $months ->
        [one] Done: I'll remind you in a month, unless you are in touch before.
       *[other] Done: I'll remind you in { $months } months, unless you are in touch before.
    }
network-talked-noted = Noted: you were in touch today.
network-tie-gone = That tie is not in your network (any more): nothing changed.
network-reminder-gone = There is no reminder for this person any more.
network-later-set = OK, I'll remind you again in two weeks.
network-stopped = OK, no more reminders about this person.

## Keep in touch

network-reminder-dm =
    👋 It's been a while since you were in touch with <b>{ $name }</b> (<b>{ $title }</b>).
    { $how }
    Last in touch: { $last }
    A message is enough to keep a tie alive.

## Introduce to…

network-introduce-pick = Whom would you like to introduce <b>{ $name }</b> to? Both will be asked first, and nothing happens unless both accept.
network-introduce-none = You have no other tie in this group to introduce them to.
network-introduce-not-member = One of them is no longer in the group.
network-introduce-cannot = I can't introduce these two.
network-introduce-asked = Done: I asked both. If both accept, I'll introduce them and you'll be their connector.
network-introduce-waiting = I asked whoever I can reach; the other has to open a private chat with me first.
network-introduce-already = You already proposed these two, or they have already been asked or introduced: I won't ask them again.
network-introduce-limit = You can propose { $count ->
        [one] one introduction
       *[other] { $count } introductions
    } in 24 hours: try again tomorrow.

## /profile and the weekly recap

network-profile-connected = 🤝 { $count ->
        [one] Connected one person
       *[other] Connected { $count } people
    } (introductions and asks both sides accepted)

## The monthly note

network-note-title = 🗓 <b>Your network in { $month }</b>
network-note-helped = You helped: { $names }
network-note-helped-by = Helped you: { $names }
network-note-introduced = You were introduced to: { $names }
network-note-connected = { $count ->
        [one] You connected one person
       *[other] You connected { $count } people
    }
network-note-quiet = Not in touch for a while: { $names }
network-note-suggestion = Someone who offers what you are looking for: { $name } ({ $tag })
network-note-ask = An ask you could answer, in <b>{ $title }</b>: { $name } is looking for help with { $tags }. /{ -cmd-asks } there shows it.
network-note-nothing = A quiet month: your ties are still there when you want them.
network-note-footer = You chose this note in /{ -cmd-network }; the same button stops it.
network-recap-connectors = 🤝 Connectors this week (people they brought together, by introduction or through an ask): { $names }
