## Weekly recap

cmd-recap = The last seven days of the group, in short

recap-title = 📰 <b>The week in { $title }</b> · { $first } – { $last }
recap-title-day = 📰 <b>The day in { $title }</b> · { $day }
recap-messages = 💬 Messages: <b>{ $count }</b> ({ $change })
recap-active = 🙋 Active members: <b>{ $count }</b> ({ $change })
recap-new = 👋 New members: <b>{ $count }</b> ({ $change })
recap-thanks = 🙏 Thanks given: <b>{ $count }</b> ({ $change })
recap-messages-alone = 💬 Messages: <b>{ $count }</b>
recap-active-alone = 🙋 Active members: <b>{ $count }</b>
recap-new-alone = 👋 New members: <b>{ $count }</b>
recap-thanks-alone = 🙏 Thanks given: <b>{ $count }</b>
recap-since = 🌱 I have been here since { $day }: these are the days since then, with no comparison with the week before until I have seen a whole one.
recap-since-before = 🌱 I joined on { $day }, when the week before had already begun: no comparison with it.
recap-helpers-header = <b>Who helped most</b>
recap-helper-line = { $rank }. { $name } — helped { $people ->
        [one] one person
       *[other] { $people } people
    }
recap-helper-reason = {"    "}<i>“{ $reason }”</i>
recap-helpers-thanks = Thank you: help like this is what turns a chat into a network. 💛
recap-newcomers-header = <b>Welcome!</b>
recap-newcomer = 👋 { $name }
recap-newcomer-offers = 👋 { $name } — can help with { $offers }
recap-newcomers-more = …and { $count ->
        [one] one more
       *[other] { $count } more
    }
recap-intros = 🤝 <b>Introductions:</b> { $made ->
        [one] one made this week
       *[other] { $made } made this week
    }, { $met ->
        [0] nobody has said they met yet
        [one] one person said they met
       *[other] { $met } people said they met
    }.
recap-prompt-header = 💡 <b>Prompt of the week</b> ({ $count ->
        [one] one person replied
       *[other] { $count } people replied
    })
recap-prompt-text = <i>{ $text }</i>

recap-nudge-interests = 🏷 { $count ->
        [one] One newcomer hasn't shared their interests yet
       *[other] { $count } newcomers haven't shared their interests yet
    }: send /{ -cmd-interests } to tell the group what you like and what you can help with.
recap-nudge-no-thanks = 🙏 Nobody thanked anyone this week — who helped you? Reply to their message with /{ -cmd-thanks }.
recap-nudge-welcome = 👋 { $count ->
        [one] Someone new arrived
       *[other] { $count } people arrived
    } this week: say hello and ask what brought them here.
recap-nudge-fewer-voices = 🗣 Fewer people spoke up than last week: a question to the group is a good way to hear from them again.
recap-nudge-few-helpers = 🌱 One person did all the helping this week: who else can answer the next question?
recap-nudge-default = 💬 Did someone help you? Reply to their message with /{ -cmd-thanks }: it shows up in next week's recap.

recap-quiet = 🌙 <b>A quiet week in { $title }</b> · { $first } – { $last }
recap-quiet-numbers = { $messages ->
        [0] No messages
        [one] One message
       *[other] { $messages } messages
    }{ $members ->
        [0] {""}
        [one] {" "}from one person
       *[other] {" "}from { $members } people
    }. Quiet weeks happen, and they are a good moment to ask the group something.
recap-first-week =
    🌱 <b>First recap of { $title }</b>
    Nothing to count yet: I have only just started listening. Write, welcome each other, thank whoever helps you with /{ -cmd-thanks } — next week this recap will tell your story.

recap-chart-caption = 📊 { $title }: messages and thanks per day, this week against last week
recap-chart-messages = Messages per day
recap-chart-thanks = Thanks per day
recap-chart-this-week = this week
recap-chart-last-week = last week
recap-weekday = { $day ->
        [0] Monday
        [1] Tuesday
        [2] Wednesday
        [3] Thursday
        [4] Friday
        [5] Saturday
       *[6] Sunday
    }
recap-weekday-short = { $day ->
        [0] Mon
        [1] Tue
        [2] Wed
        [3] Thu
        [4] Fri
        [5] Sat
       *[6] Sun
    }
recap-date = { $day } { $month ->
        [1] Jan
        [2] Feb
        [3] Mar
        [4] Apr
        [5] May
        [6] Jun
        [7] Jul
        [8] Aug
        [9] Sep
        [10] Oct
        [11] Nov
       *[12] Dec
    }

recap-private = /{ -cmd-recap } works inside a group: send it there.
recap-usage = /{ -cmd-recap } posts the last seven days here (once an hour); admins can use /{ -cmd-recap } preview to get it in private without posting it.
recap-too-soon = A recap was posted here less than an hour ago. Ask again from { $time }.
recap-preview-not-admin = Sorry, only the group's admins can preview the recap.
recap-preview-header = 👀 <b>Preview</b> of the recap for { $title } — not posted:
recap-preview-sent = 👀 I sent you the preview in private.
recap-preview-open-private = I can't write to you in private yet: open the chat with me, press Start, then ask again.
recap-rights-lost = I couldn't post the weekly recap in { $title }: I'm no longer allowed to write there. I've switched recaps off; once I can post again, an admin can turn them back on with /{ -cmd-settings } recap on.

settings-recap-line = Weekly recap: { $state ->
        [on] on — { $day } at { $time } (the group's time), { $image ->
            [on] with a chart
           *[off] without a chart
        }
       *[off] off
    }
settings-recap-set = { $state ->
        [on] ✅ Weekly recap on: every { $day } at { $time }.
       *[off] ✅ Weekly recap off. /{ -cmd-recap } still works on demand.
    }
settings-recapday-set = ✅ The weekly recap now comes every { $day } at { $time }.
settings-recaptime-set = ✅ The weekly recap now comes every { $day } at { $time }.
settings-recapimage-set = { $state ->
        [on] ✅ The recap comes with a chart of the week.
       *[off] ✅ The recap comes without a chart.
    }

## Asks (handlers/asks)

recap-asks = 🙋 <b>Asks:</b> { $solved ->
        [0] none solved this week
        [one] one solved this week
       *[other] { $solved } solved this week
    }{ $waiting ->
        [0] {""}
        [one] , one still without an answer
       *[other] , { $waiting } still without an answer
    }
recap-nudge-open-asks = 🙋 { $count ->
        [one] One ask here has no answer yet
       *[other] { $count } asks here have no answer yet
    }: /{ -cmd-asks } shows them. Can you help, or do you know someone who can?
