# Rete — asks (English). Every message is Telegram HTML; arguments are escaped.

cmd-ask = Ask the group for help: /{ -cmd-ask } I need an accountant #startup
cmd-asks = Open asks here; in private, your choices about asks

## Words

asks-hidden-member = a member who keeps their name private
asks-someone = A member

## Buttons

asks-button-help = 🙋 I can help
asks-button-not-me = Not me
asks-button-no-more = No more asks
asks-button-post = ✅ Post it
asks-button-cancel = Cancel
asks-button-skip-note = Send without a note
asks-button-connect = 🤝 Connect
asks-button-no-thanks = No thanks
asks-button-solved = ✅ Solved
asks-button-was-solved = Yes, solved
asks-button-not-solved = No
asks-button-introduce = Yes, ask them
asks-button-not-now = Not this time
asks-button-never-connector = Never ask me to connect people
asks-button-asks-off = Stop sending me asks
asks-button-asks-on = Send me asks again
asks-button-connector-off = Never ask me to connect people
asks-button-connector-on = I may connect people again

## The ask in the group

asks-group-only = None of your groups has asks on right now. Send /{ -cmd-ask } in a group where they are, followed by what you need: /{ -cmd-ask } I need an accountant who knows startups #accounting
asks-off = Asks are off in this group. An admin can turn them on: /{ -cmd-settings } asks on
asks-empty = Tell me what you need after the command: /{ -cmd-ask } I need an accountant who knows startups #accounting
asks-only-tags = Write a few words about what you need, not only hashtags: /{ -cmd-ask } I need help with my tax return #accounting
asks-too-long = That ask is too long: keep it within { $max ->
        [one] one character
       *[other] { $max } characters
    } (a few lines people can read at a glance).
asks-no-tags = I found no tag in your ask. Add a hashtag or two for what you need (for example #accounting), so I know whom to tell.
asks-start-first = Answers to an ask come to you in private: open a private chat with me first (button below), then send your ask again.
asks-open-private = Open the private chat
asks-limit = { $count ->
        [one] You already have an open ask here. Close it (✅ Solved) before asking again.
       *[other] You already have { $count } open asks here, the most a member can have. Close one (✅ Solved) before asking again.
    }
asks-limit-alert = You already have as many open asks here as a member can have. Close one first.
asks-draft =
    <b>Your ask</b>
    { $text }

    Tags I will route it by: { $tags }
    Tap a tag to leave it out or bring it back, then post it.
asks-choose-a-tag = Choose at least one tag: it is how I know whom to tell.
asks-cancelled = Ask cancelled: nothing was posted.
asks-post =
    🙋 <b>{ $name } is asking</b>
    { $text }

    { $tags }
asks-post-solved = ✅ Solved.
asks-post-solved-by = ✅ Solved, with help from { $names }.
asks-post-expired = ⌛ This ask is closed.
asks-posted = { $count ->
        [0] Posted. Nobody here offers these tags yet, so I told nobody in private; people can still press “I can help”.
        [one] Posted, and I told one member who offers it, in private.
       *[other] Posted, and I told { $count } members who offer it, in private.
    }
asks-posted-warm = { $count ->
        [0] Posted. Nobody here offers it, but someone you know may know someone who does: I asked them in private.
        [one] Posted, and I told one member in private; I also asked someone you know who may know someone who offers it.
       *[other] Posted, and I told { $count } members in private; I also asked someone you know who may know someone who offers it.
    }
asks-open-for = { $days ->
        [one] It stays open for one day.
       *[other] It stays open for { $days } days.
    }

## Routed in private

asks-routed =
    🙋 <b>{ $name }</b> in <b>{ $title }</b> is asking, and you offer some of it:
    { $text }

    { $tags }
    Can you help? Nobody sees your contact unless you both say yes.
asks-introduced =
    🙋 <b>{ $connector }</b>, whom you know, thinks you can help <b>{ $name }</b> from <b>{ $title }</b>:
    { $text }

    { $tags }
    Can you help? Nobody sees your contact unless you both say yes.
asks-not-me-done = Fine, thank you for saying. You will hear about other asks.
asks-stopped = Understood: no more asks in private. Send /{ -cmd-asks } here to change your mind.
asks-helping = 🙋 You offered to help: I asked you for a note below.

## I can help

asks-own-ask = That is your own ask: others can press “I can help”.
asks-already-offered = You already offered to help with this ask.
asks-start-first-help = To offer help I need to write to you in private: open a chat with me (tap my name, then Start), then press again.
asks-offer-noted = I wrote to you in private.
asks-note-ask =
    Thank you! Send me one line for { $name } (what you can do, or how): it goes with your offer.
    “{ $text }”
    Or send the offer without a note.
asks-note-sent = Sent: the asker decides whether to connect. You will hear from me either way.
asks-offer =
    🙋 <b>{ $helper }</b> can help with your ask:
    “{ $text }”
    Their note: { $note }

    Connect? Only then do you both get each other's contact.
asks-offer-via =
    🙋 <b>{ $helper }</b>, introduced by <b>{ $connector }</b>, can help with your ask:
    “{ $text }”
    Their note: { $note }

    Connect? Only then do you both get each other's contact.
asks-helper-gone = That offer is no longer there: the person withdrew it or deleted their data with Rete. Nothing changed.
asks-helper-left = That person is no longer in the group: nothing was shared.
asks-declined = You said no thanks: nobody's contact was shared.
asks-declined-helper = Thank you for offering to help with “{ $text }”: the asker found another way. Nobody's contact was shared.
asks-connected =
    🤝 You are connected with { $person } for “{ $text }”.
    Their note: { $note }
    Write to them; once it is solved, press Solved or thank them in the group.
asks-connected-via =
    🤝 You are connected with { $person } for “{ $text }”, introduced by { $connector }.
    Their note: { $note }
    Write to them; once it is solved, press Solved or thank them in the group.
asks-connected-helper = 🤝 The asker said yes: you are connected with { $person } for “{ $text }”. They may write to you, or write to them.
asks-connected-helper-via = 🤝 The asker said yes: you are connected with { $person } for “{ $text }”, thanks to { $connector }. They may write to you, or write to them.

## Warm path

asks-connector =
    🧭 <b>{ $name }</b> in <b>{ $title }</b> is looking for help:
    “{ $text }”
    Nobody there offers it, but <b>{ $helper }</b>, whom you know, offers { $tags }. Shall I ask them, in your name?
asks-connector-declined = Fine: I will not ask them.
asks-connector-agreed = Thank you! I asked them; if they can help, the asker hears about it.
asks-connector-unreachable = Thank you! I could not write to them in private, so nothing went out.
asks-connected-connector = 🤝 Thanks to you, { $asker } and { $helper } are now connected.
asks-never-connector = Understood: I will never ask you to connect people. Send /{ -cmd-asks } here to change your mind.

## Closing

asks-closed = This ask is closed: nothing changed.
asks-solved-thanks = ✅ Marked as solved: “{ $text }”. Thank you for closing the loop.
asks-solved-by-thanks = ✅ You thanked someone who helped with “{ $text }”: I marked it as solved.
asks-expired-question =
    ⌛ Your ask closed after its time: “{ $text }”
    Was it solved?
asks-expired-unsolved = Thank you for saying. You can ask again any time with /{ -cmd-ask }.

## Refusals

asks-button-stale = This button is no longer valid. Nothing changed.
asks-not-yours = This button is not for you: nothing changed.
asks-not-member = Only current members of the group can do that: nothing changed.

## /asks

asks-none-open = No open asks here. Ask with /{ -cmd-ask } and what you need.
asks-list-header = { $count ->
        [one] <b>One open ask</b>
       *[other] <b>{ $count } open asks</b>
    }
asks-list-line = • { $name }: { $text }
asks-stats-not-admin = Only admins can see the asks' numbers.
asks-stats =
    <b>Asks in this group</b>
    Asked: { $made }
    Answered (someone offered help): { $answered }
    Solved: { $solved }
    Through someone a member knows: { $warm }
    Median time to a first “I can help”: { $hours } h
asks-choices =
    <b>Asks and you</b>
    Asks sent to you in private: { $asks ->
        [on] yes
       *[off] no
    }
    Asked to connect people you know: { $connector ->
        [on] yes
       *[off] never
    }

## /ask in private

asks-choose-group =
    <b>Your ask</b>
    { $text }

    Which group is it for? I will post it there and tell the members who offer it.
