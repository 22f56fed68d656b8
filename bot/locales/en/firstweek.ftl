# A guided first week: the private menu, hints for free text, newcomers' welcomes, answers
# that stay visible. Group messages speak to the whole group; DMs to the one person.

## The private menu (under /start, the welcome link's greeting and the hint): plain text

start-button-interests = 🏷 Your interests
start-button-intros = 🤝 Your introductions
start-button-privacy = 🔒 Your privacy
start-button-join = 🤝 Join introductions in { $title }
start-button-refused = That button is not one of mine, or no longer works: send /{ -cmd-start } for a fresh menu.

## The greeting behind a group's welcome button

start-from-group =
    👋 Hi { $name }, welcome to <b>{ $title }</b>!
    Here in private I'm at your service: tell me what you're into and what you can help with, { $intros ->
        [on] and I'll introduce you to members of { $title } who share your interests.
       *[other] so the people in { $title } can find you when they need you.
    }
    Start with the buttons below; /{ -cmd-help } lists everything I can do.
start-group-refused = I don't know that group. Open the link again from the group's welcome message.
start-group-not-member = I can't find you in that group yet: join it first, then press its button again.

## Free text in private that Rete cannot use (at most once in a while)

start-hint = I don't read messages written here, but this is what I can do for you (or send /{ -cmd-help }):

## Newcomers' welcome in the group (one post for a whole wave of joins)

welcome-newcomers =
    👋 Welcome to { $title }, { $names }!
    People here help each other: saying hello and telling us what you're into is the best way to start.{ $intros ->
        [on] { " " }The button below gets you introduced, in private, to members who share your interests.
       *[other] {""}
    }
welcome-names-and = { $names } and { $last }
welcome-names-others = { $names } and { $count ->
        [one] one more person
       *[other] { $count } more people
    }
welcome-names-counted = { $count ->
        [one] our newest member
       *[other] our { $count } newest members
    }
welcome-button-intros = 🤝 Introduce me
welcome-button-start = 👋 First steps

## /settings welcome

settings-welcome-set = { $state ->
        [on] ✅ I'll welcome newcomers again (one message for everyone who joins at once).
       *[off] ✅ I won't welcome newcomers in this group any more.
    }

## Introductions: "one more step" and the answer to "did you meet?"

intros-joined-type-tags = Just write them here, separated by commas (for example: python, hiking, board games), or use the buttons.
intros-follow-up-answer = Your answer: <b>{ $answer }</b>
