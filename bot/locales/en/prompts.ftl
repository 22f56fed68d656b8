## Engagement prompts: /prompts, /suggest, the built-in deck

cmd-prompts = Conversation starters: schedule, deck, post now (admins)
cmd-suggest = Suggest a question for the group's prompts

prompts-post = 💬 { $text }

prompts-group-only = /{ -cmd-prompts } works inside a group, and only for its admins: send it there.
prompts-not-admin = Sorry, only the group's admins can manage the prompts. Got an idea for one? Send /{ -cmd-suggest } followed by your question.
prompts-unknown = I don't know “{ $name }”. Send /{ -cmd-prompts } to see what I can do.

prompts-overview =
    <b>Conversation prompts in { $title }</b>
    State: { $state ->
        [on] on
       *[off] off
    }
    When: { $days } at { $time } ({ $timezone })
    Next one: { $next }
    Quiet hours: { $quiet }
    Where: { $topic }
    Pin the latest: { $pin ->
        [on] yes
       *[off] no
    }
    I hold back while the group is busy: more than { $busy ->
        [one] one message
       *[other] { $busy } messages
    } in the last 30 minutes
    Deck: { $builtin ->
        [0] no built-in prompts
        [one] one built-in prompt
       *[other] { $builtin } built-in prompts
    } and { $custom ->
        [0] none of your own
        [one] one of your own
       *[other] { $custom } of your own
    }
prompts-overview-pin-failed = ⚠️ I couldn't pin the last prompt: give me the “Pin messages” right, or turn pinning off with /{ -cmd-prompts } pin off.
prompts-overview-pending = 📬 Suggestions waiting for you: { $count } (/{ -cmd-prompts } suggestions)
prompts-overview-usage =
    /{ -cmd-prompts } on or off
    /{ -cmd-prompts } schedule mon,thu 09:30 — days and time (a time zone such as Europe/London may follow)
    /{ -cmd-prompts } quiet 22:00-08:00 (or off)
    /{ -cmd-prompts } topic — from inside the topic to post in (/{ -cmd-prompts } topic off: the /{ -cmd-settings } one)
    /{ -cmd-prompts } pin on or off
    /{ -cmd-prompts } busy 10 — how many messages in 30 minutes count as busy
    /{ -cmd-prompts } add your question · /{ -cmd-prompts } list · /{ -cmd-prompts } remove 3
    /{ -cmd-prompts } now · /{ -cmd-prompts } next · /{ -cmd-prompts } suggestions
prompts-next-none = not scheduled (prompts are off)
prompts-quiet-none = none
prompts-topic-default = the topic set in /{ -cmd-settings } ({ $topic })
prompts-topic-own = topic #{ $id }
prompts-topic-main = the main chat

prompts-when = { $weekday ->
        [mon] Monday
        [tue] Tuesday
        [wed] Wednesday
        [thu] Thursday
        [fri] Friday
        [sat] Saturday
       *[sun] Sunday
    } { $date } at { $time }
prompts-day = { $day ->
        [mon] Mon
        [tue] Tue
        [wed] Wed
        [thu] Thu
        [fri] Fri
        [sat] Sat
       *[sun] Sun
    }

prompts-switched = { $state ->
        [on] ✅ Prompts are on. Next one: { $next }.
       *[off] ✅ Prompts are off: I won't start conversations here until you turn them on again.
    }
prompts-schedule-set = ✅ I'll post a prompt { $days } at { $time } ({ $timezone }). Next one: { $next }.
prompts-schedule-set-off = ✅ Schedule saved: { $days } at { $time } ({ $timezone }). Prompts are still off: /{ -cmd-prompts } on to start.
prompts-schedule-usage = Tell me the days and the time, for example: /{ -cmd-prompts } schedule mon,thu 09:30 (or daily 18:00, weekdays 9:00). A time zone such as Europe/London may follow.
prompts-schedule-in-quiet = { $time } falls in the quiet hours ({ $quiet }), so nothing would ever be posted. Pick another time, or change the quiet hours with /{ -cmd-prompts } quiet.
prompts-bad-quiet = “{ $value }” is not a span of time. Write it like 22:00-08:00, or off.
prompts-quiet-set = ✅ Quiet hours: { $quiet }. I won't post anything in that time.
prompts-quiet-off = ✅ No quiet hours: prompts may go out at any time of day.
prompts-quiet-clash = Your prompts go out at { $time }, inside { $quiet }: with those quiet hours nothing would be posted. Move the prompts first with /{ -cmd-prompts } schedule.
prompts-pin-set = { $state ->
        [on] ✅ I'll pin each new prompt and unpin the previous one (I need the “Pin messages” right).
       *[off] ✅ I won't pin prompts any more.
    }
prompts-pin-usage = Say /{ -cmd-prompts } pin on or /{ -cmd-prompts } pin off.
prompts-switch-usage = Say /{ -cmd-prompts } on or /{ -cmd-prompts } off.
prompts-busy-set = ✅ I'll hold a prompt back while there are more than { $value ->
        [one] one message
       *[other] { $value } messages
    } in 30 minutes, for at most two hours.
prompts-busy-usage = Give a number from 1 to 500, for example: /{ -cmd-prompts } busy 10
prompts-topic-set = ✅ I'll post prompts in this topic.
prompts-topic-cleared = ✅ Prompts go where my other posts go (/{ -cmd-settings } topic).
prompts-topic-outside = Send /{ -cmd-prompts } topic from inside the topic the prompts should go to, or /{ -cmd-prompts } topic off.
prompts-topic-not-forum = This group has no topics, so prompts go to the main chat.

prompts-add-usage = Write the question after the command, for example: /{ -cmd-prompts } add What did you learn this week?
prompts-too-long = That's { $length } characters: a prompt can be at most { $limit }. Try something shorter.
prompts-too-long-marks = It has too many &lt;, &gt; and &amp; signs for me to post it whole: each takes the room of several letters. Try something shorter.
prompts-added = ✅ Added as number { $number }. Your own prompts go out before the built-in ones.
prompts-add-duplicate = That prompt is already in the deck.

prompts-list-header = <b>The prompts deck</b> (page { $page } of { $pages }, { $total ->
        [one] one prompt
       *[other] { $total } prompts
    }, yours first)
prompts-list-line = { $number }. { $text } — { $record }
prompts-list-own = ✍️
prompts-list-never = not posted yet
prompts-list-record = { $posts ->
        [one] posted once
       *[other] posted { $posts } times
    }, { $replies ->
        [0] no replies
        [one] one person replied
       *[other] { $replies } people replied
    }
prompts-list-more = More: /{ -cmd-prompts } list { $next }
prompts-list-footer = Remove one with /{ -cmd-prompts } remove followed by its number.
prompts-list-bad-page = { $pages ->
        [one] There is only one page: /{ -cmd-prompts } list.
       *[other] There are { $pages } pages: ask for one of them, like /{ -cmd-prompts } list 2.
    }

prompts-remove-usage = Tell me which one by its number in /{ -cmd-prompts } list, for example: /{ -cmd-prompts } remove 3
prompts-remove-missing = There is no prompt number { $value }: { $total ->
        [0] the deck is empty
        [one] the deck has only one
       *[other] the deck has { $total }
    }. See /{ -cmd-prompts } list.
prompts-remove-not-number = “{ $value }” is not a number I can read: use the digits 0 to 9, for example /{ -cmd-prompts } remove 3.
prompts-removed = ✅ Removed: { $text }

prompts-now-empty = The deck is empty: add a prompt with /{ -cmd-prompts } add.
prompts-now-failed = I couldn't post the prompt here. Check that I'm still allowed to write in this group.
prompts-next = Next prompt: { $when } ({ $timezone }).
prompts-next-off = Prompts are off in this group. /{ -cmd-prompts } on to start them.
prompts-next-held = Right now I'm holding one back because the group is busy; I'll try again at { $time }.

prompts-rights-lost = ⚠️ I can no longer post in { $title }, so I've switched its prompts off. When I'm back with the right to write, an admin can send /{ -cmd-prompts } on there.

## /suggest

prompts-suggest-usage = Write your question after the command, for example: /{ -cmd-suggest } What's the best tip you got this year?
prompts-suggest-private = Send /{ -cmd-suggest } in the group you'd like to suggest a prompt for: the admins there will decide.
prompts-suggest-too-long = That's { $length } characters: a suggestion can be at most { $limit }.
prompts-suggest-too-long-marks = It has too many &lt;, &gt; and &amp; signs for me to pass it on whole: each takes the room of several letters. Try something shorter.
prompts-suggest-thanks = 🙏 Thanks { $name }! I've passed your suggestion on to the admins.
prompts-suggest-thanks-later = 🙏 Thanks { $name }! The admins will find your suggestion with /{ -cmd-prompts } suggestions.
prompts-suggest-dm =
    💡 <b>{ $name }</b> suggests a prompt for { $title }:

    { $text }
prompts-suggest-approve = ✅ Approve
prompts-suggest-reject = ❌ Reject
prompts-suggest-approved = ✅ Approved by { $admin }: it's in the deck of { $title } now.
prompts-suggest-rejected = ❌ Rejected by { $admin }.
prompts-suggest-already = { $status ->
        [approved] This suggestion was already approved.
       *[rejected] This suggestion was already rejected.
    }
prompts-suggest-gone = This suggestion no longer exists.
prompts-suggest-not-admin = Only the group's admins can decide on suggestions.
prompts-suggest-done-approved = Approved ✅
prompts-suggest-done-rejected = Rejected ❌
prompts-suggest-approved-author = 🎉 Your prompt suggestion for { $title } was approved: it will come up in the group soon.
prompts-suggestions-header = <b>Suggestions waiting</b>
prompts-suggestions-empty = No suggestions waiting.

## The built-in deck (written for English speakers; the Italian deck is its own)

prompts-deck-01 = Who helped you this week, even in a small way? Tag them and tell us what they did.
prompts-deck-02 = What are you working on right now that someone here could help with?
prompts-deck-03 = What could you help others with this month? Be specific: “I can review a CV”, “I know my way around spreadsheets”…
prompts-deck-04 = New faces are always welcome. If you joined recently, tell us who you are and what brought you here.
prompts-deck-05 = What's a resource (an article, a book, a tool, a video) that saved you time lately? Share the link.
prompts-deck-06 = Shout-out time: whose message in this group made your week better?
prompts-deck-07 = What's a mistake you made early on that others here could avoid?
prompts-deck-08 = If you could pick the brain of anyone in this group for 20 minutes, what would you ask?
prompts-deck-09 = What skill are you learning right now? Someone here might be a step ahead and happy to share.
prompts-deck-10 = Set your interests so I can introduce you to people who share them: /{ -cmd-interests }
prompts-deck-11 = Is there a question you've been too shy to ask here? Today's a good day to ask it.
prompts-deck-12 = Tell us about a small win from this week. Nobody's keeping score, we're just glad to hear it.
prompts-deck-13 = Who's someone outside this group you think should be here, and why?
prompts-deck-14 = What's the best advice a colleague ever gave you?
prompts-deck-15 = Looking for something? A job, a collaborator, a flat, a good accountant: say it here, someone may know someone.
prompts-deck-16 = What do you know a lot about that might surprise people here?
prompts-deck-17 = Which tool or app couldn't you work without, and what do you use it for?
prompts-deck-18 = What's one thing you'd like this community to do more of?
prompts-deck-19 = Who taught you something recently? Thank them here, they'll like knowing it.
prompts-deck-20 = Hiring, or know someone who is? Tell us: the right person might be reading.
prompts-deck-21 = What did you learn this week that you wish you'd known a year ago?
prompts-deck-22 = Got an event, talk or meetup coming up that others here might enjoy? Post it.
prompts-deck-23 = Describe your work in one sentence a ten-year-old would understand.
prompts-deck-24 = Which problem are you stuck on? Put it in two lines: fresh eyes help.
prompts-deck-25 = Who's been quietly helpful here lately? Reply to one of their messages with /{ -cmd-thanks } so it's on the record.
prompts-deck-26 = What book, podcast or newsletter would you recommend to everyone here?
prompts-deck-27 = What would you be happy to teach someone in a 15-minute call?
prompts-deck-28 = Where are you writing from today? Someone in the group might be just around the corner.
prompts-deck-29 = What's one goal for next month we can cheer you on for?
prompts-deck-30 = Whose work here would you like to learn more about? Ask them something.
prompts-deck-31 = Want to meet people who share your interests? Tell me what you can offer and what you're looking for with /{ -cmd-interests }, and I'll make introductions in private.
prompts-deck-32 = Is there a question you'd love to ask the whole group? Suggest it with /{ -cmd-suggest } and it may become one of these prompts.

## The prompts line of /settings

prompts-settings-line = Prompts: { $state ->
        [on] on — { $days } at { $time }, quiet hours { $quiet }
       *[off] off
    } (/{ -cmd-prompts } to change them)

prompts-quiet-warning = ⚠️ { $time } is inside the quiet hours ({ $quiet }): no prompt will go out until you move one or the other.
prompts-suggest-enough = { $count ->
        [one] You already have a suggestion waiting for the admins: let them look at it first.
       *[other] You already have { $count } suggestions waiting for the admins: let them catch up first.
    }
prompts-suggest-day-full = The admins have already received plenty of suggestions from this group today: send yours tomorrow.
