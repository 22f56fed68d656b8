"""Which chat messages thank someone, in English and Italian, and which only look like it."""

import re

import pytest

from bot.thanks import NOT_THANKS, PHRASES, REPLY_PHRASES, find_thanks, is_thanks, normalize

# (message, the phrase find_thanks returns: the first one, as it appears normalized)
EN_THANKS = [
    ("Thanks!", "thanks"),
    ("thanks Marco, that fixed it", "thanks"),
    ("Fixed it, thanks!", "thanks"),
    ("Thank you so much for the ride yesterday", "thank you so much"),
    ("thank you so so much!!", "thank you so so much"),
    ("thank you very much, Dr. Rossi", "thank you very much"),
    ("it works now. Thank you!!", "thank you"),
    ("THANK YOU", "thank you"),
    ("Thank You", "thank you"),
    ("thank u!!", "thank u"),
    ("Thankyou 😊", "thankyou"),
    ("Thank-you, Sara!", "thank-you"),
    ("thanksss 😍", "thanksss"),
    ("Thaaanks, you're a star", "thaaanks"),
    ("thank youuu", "thank youuu"),
    ("thx for the link", "thx"),
    ("thxxx", "thxxx"),
    ("ok thnx", "thnx"),
    ("tnx mate", "tnx"),
    ("ty!", "ty"),
    ("tysm ❤️", "tysm"),
    ("tyvm, works now", "tyvm"),
    ("Cheers, Anna!", "cheers"),
    ("cheers mate, appreciate it", "cheers"),
    ("Much appreciated 👍", "much appreciated"),
    ("I appreciate it, really", "appreciate it"),
    ("I really appreciate your help with the move", "really appreciate"),
    ("Kudos to @bruno for organising the cleanup", "kudos"),
    ("Many thanks to everyone who came on Saturday", "many thanks"),
    ("thanks a lot, you saved me hours", "thanks a lot"),
    ("thanks again for the chairs", "thanks again"),
    ("No worries, thanks!", "thanks"),
    ("No problem at all, thanks for asking", "thanks"),
    ("thanks! no worries", "thanks"),
    ("thanks but no worries if you can't", "thanks"),
    ("I'm thankful for this group, thanks Luca!", "thanks"),
    ("He said “thanks” but I'm saying it too: thanks!", "thanks"),
    ("'thanks' is all I can say", "thanks"),
    ("> can someone help?\nthanks, sorted!", "thanks"),
    ("𝐭𝐡𝐚𝐧𝐤𝐬", "thanks"),
    ("ＴＨＡＮＫＳ", "thanks"),
    ("#thanks Bruno", "thanks"),
    ("thanks, I can pay in advance if you want", "thanks"),
    ("Thanks to you the garden is finally done", "thanks"),
    ("🙏", "🙏"),
    ("🙏🏻🙏🏻", "🙏🏻"),
    ("great answer🙏🏽", "🙏🏽"),
    ("+1", "+1"),
    ("+1, great tip", "+1"),
    ("Lifesaver! thank you", "lifesaver"),
    ("you rock 🤘", "you rock"),
    ("You’re the best, Giulia", "you're the best"),
    ("I just wanted to thank everyone for the warm welcome", "wanted to thank"),
]

EN_NOT_THANKS = [
    "Happy Thanksgiving everyone!",
    # Politeness returned: no help was given, or the thanks answers a thanks.
    "no thanks needed... but THANK YOU anyway",
    "thanks anyway",
    "Thanks anyway, I'll ask at the hardware shop",
    "ok, thank you anyway!",
    "thanks anyways",
    "Anyway, thanks",
    "thanks but no",
    "Thanks, but no.",
    "thank you but no, I'll walk",
    "not very helpful, sorry",
    "no thanks",
    "No, thanks. I'm fine",
    "no thanks, I'm fine",
    "no thank you, I already ate",
    "Nah thanks",
    "Nope, thank you",
    "thanks but no thanks",
    "Thanks, but no thanks.",
    "thanks for nothing",
    "Thanks a lot for nothing, Mark",
    "Thanks in advance!",
    "thx in advance",
    "Thanks in anticipation for any replies",
    "thanks for any help in advance",
    "Does anyone have a drill I could borrow? thank you in advance",
    "In advance, thank you",
    "Thanks, in advance, to whoever answers",
    "Does anyone have a drill I could borrow? TIA",
    "I'm thankful for this group",
    "thankfully it stopped raining",
    "a thankless job",
    "sorry, typo",
    "I need new tyres",
    "Tyler is coming too",
    "party time",
    "Cheerful people everywhere",
    'he wrote "thanks" yesterday',
    "she just said “thank you” and left",
    "«thanks» is the most used word here",
    "> thanks for the help\nwho said that?",
    "+10",
    "1+1=2",
    "c++1",
    "+1.5 degrees tonight",
    "+1 (555) 010-9999 is the office number",
    "Any help would be much appreciated!",
    "I'd really appreciate it if someone could take a look",
    "any advice appreciated",
    "Really appreciate any help with the tax form",
    "Thank God it's Friday",
    "he didn't even say thanks",
    "left without a thank you",
    "not even a thank you, unbelievable",
    "Never said thank you once",
    "No need for thanks!",
    "I'm writing thank-you cards for the volunteers",
    "see https://example.com/thanks for details",
    "ping @thanks_bot",
    "THX1138 is a film",
    "Can someone explain how the rota works?",
    "👍",
    "🙌",
    "",
]

IT_THANKS = [
    ("grazie mille Marco, mi hai salvato la giornata!", "grazie mille"),
    ("ti ringrazio per la dritta", "ti ringrazio"),
    ("gentilissima come sempre", "gentilissima"),
    ("Grazie!", "grazie"),
    ("GRAZIE", "grazie"),
    ("grazìe", "grazie"),
    ("Grazieee 😍", "grazieee"),
    ("graaazie ragazzi", "graaazie"),
    ("grazie milleee", "grazie milleee"),
    ("GRAZIE MILLE!!!", "grazie mille"),
    ("grazie 1000!!", "grazie 1000"),
    ("Mille grazie per il passaggio", "mille grazie"),
    ("Tante grazie, signora Pina", "tante grazie"),
    ("grazie infinite, davvero", "grazie infinite"),
    ("Grazie Davvero a tutti per ieri sera", "grazie davvero"),
    ("Grazie di cuore a chi ha organizzato", "grazie di cuore"),
    ("Grazie a tutti per gli auguri", "grazie a tutti"),
    ("ci vediamo domani, grazie ancora", "grazie ancora"),
    ("Ok ricevuto, grazie", "grazie"),
    ("grazie per l’aiuto con il trasloco", "grazie"),
    ("grazie anche da parte mia", "grazie"),
    ("Grazie, Graziella!", "grazie"),
    ("ok grz", "grz"),
    ("thx Luca, ci penso io", "thx"),
    ("vi ringrazio tutti per la pazienza", "vi ringrazio"),
    ("La ringrazio per la disponibilità", "la ringrazio"),
    ("Ringrazio chi ha portato le sedie", "ringrazio"),
    ("Ragazzi, vi ringraziamo per la splendida accoglienza", "vi ringraziamo"),
    ("ok, perfetto. Ti ringrazio!", "ti ringrazio"),
    ("Volevo ringraziare tutti per la festa", "volevo ringraziare"),
    ("non so come ringraziarti", "non so come ringraziarti"),
    ("Gentilissimo, a buon rendere", "gentilissimo"),
    ("siete gentilissimi", "gentilissimi"),
    ("Gentilissime, ci vediamo sabato", "gentilissime"),
    ("sei un grande!!", "sei un grande"),
    ("Sei una grande, Giulia", "sei una grande"),
    ("sei grande 💪", "sei grande"),
    ("Sei un mito 😂", "sei un mito"),
    ("Siete dei miti", "siete dei miti"),
    ("Sei un angelo, grazie!", "sei un angelo"),
    ("mi hai salvato la vita 😭", "mi hai salvato la vita"),
    ("Risolto, grazie a te 🙏", "grazie"),
    ("perfetto 🙏🏼", "🙏🏼"),
    ("+1, ottima idea", "+1"),
    ("Risolto grazie a te, ieri sera", "grazie"),
    ("Grazie a te ho trovato casa", "grazie"),
    ("Grazie, il biglietto te lo pago in anticipo", "grazie"),
    ("Grazie, no problem.", "grazie"),
    ("No grazie per il caffè, ma grazie mille per l'aiuto", "grazie mille"),
    ("> qualcuno ha una scala?\nGrazie a chi me l'ha prestata!", "grazie"),
]

IT_NOT_THANKS = [
    # Politeness returned: the thanks answers a thanks, or no help was given.
    "grazie a te",
    "Grazie a te!",
    "No, grazie a te!",
    "figurati, grazie a voi!",
    "Ok, grazie a te anche",
    "Grazie a te 😊",
    "Ha scritto «grazie», e io rispondo: grazie a te!",
    "grazie comunque",
    "nessun problema, grazie comunque",
    "Ok, grazie lo stesso",
    "comunque grazie, chiedo in ferramenta",
    "grazie ma no",
    "Grazie, ma no: ce la faccio",
    "non è mitico per niente",
    "no grazie",
    "No, grazie, sono a posto così",
    "no grazie mille, ho già mangiato",
    "No, ti ringrazio, ce la faccio",
    "Grazie, no: vado a piedi",
    "grazie ma anche no",
    "Grazie in anticipo a chi risponderà",
    "grazie anticipatamente",
    "Ringrazio in anticipo chiunque possa aiutarmi",
    "Qualcuno ha un trapano da prestarmi? Grazie in anticipo!",
    "ti ringrazio anticipatamente",
    "Grazie mille in anticipo per le risposte",
    "grazie a tutti in anticipo",
    "anticipatamente grazie",
    "grazie fin d'ora per l'aiuto",
    "vi ringrazio fin da ora",
    "grazie al cazzo",
    "E grazie al cazzo, l'hai lasciato sotto la pioggia",
    "grazie al ca**o",
    "Grazie a Dio è finita",
    "grazie al cielo non pioveva",
    "Ringrazio Dio che è finita",
    "Grazie per niente, eh",
    "Ringraziamenti di rito a tutti",
    "«ringraziamenti di rito»",
    "Ha scritto “grazie” e se n'è andato",
    'ha detto "grazie mille" con un tono...',
    "> grazie mille per l'aiuto\nchi l'ha scritto?",
    "Graziella arriva alle otto",
    "Grazia, ci sei domani?",
    "Graziano porta le birre",
    "grazi",
    "che grazioso il tuo cane",
    "Santa Maria delle Grazie è chiusa il lunedì",
    "Le tre grazie di Canova",
    "ci vediamo alle Grazie alle 18",
    "non ti ringrazio proprio per niente",
    "Non ha neanche detto grazie",
    "Non ho mai detto grazie a nessuno",
    "Manco un grazie, incredibile",
    "se n'è andato senza dire grazie",
    "nemmeno un grazie",
    "Non c'è bisogno di dire grazie",
    "Non sei un grande, sei un disastro",
    "ormai sei grande, puoi andare da solo",
    "Non è stato gentilissimo, anzi",
    "qualcuno sa a che ora apre il mercato?",
    "Mi servirebbe una mano per il trasloco sabato",
    "+10 gradi oggi",
    "1+1=2, fidati",
    "ok 👍",
]


@pytest.mark.parametrize(("text", "expected"), EN_THANKS + IT_THANKS)
def test_thanks_are_found(text, expected):
    assert find_thanks(text) == expected
    assert is_thanks(text) is True


@pytest.mark.parametrize("text", EN_NOT_THANKS + IT_NOT_THANKS)
def test_lookalikes_are_not_thanks(text):
    assert find_thanks(text) is None
    assert is_thanks(text) is False


# Thanks only in a reply to the one thanked: (message, the phrase found).
REPLY_THANKS = [
    ("mi hai salvato!", "mi hai salvato"),
    ("Mi hai proprio salvato, funziona", "mi hai proprio salvato"),
    ("ci hai salvati", "ci hai salvati"),
    ("ti devo un caffè", "ti devo un caffe"),
    ("Ti devo una birra, sul serio", "ti devo una birra"),
    ("vi devo una cena", "vi devo una cena"),
    ("utilissimo!", "utilissimo"),
    ("Utilissima questa guida", "utilissima"),
    ("mitico!!", "mitico"),
    ("Miticaaa", "miticaaa"),
    ("siete mitici", "mitici"),
    ("preziosissimo il tuo consiglio", "preziosissimo"),
    ("you saved me!", "you saved me"),
    ("You saved my day", "you saved my day"),
    ("I owe you one", "i owe you one"),
    ("owe you a beer for this", "owe you a beer"),
    ("super helpful", "super helpful"),
    ("Very helpful, that was it", "very helpful"),
    ("you're a legend", "you're a legend"),
    ("absolute legend", "absolute legend"),
]

# Not thanks even in a reply.
REPLY_NOT_THANKS = [
    "non mi hai salvato per niente",
    "non è utilissimo, anzi",
    "non ti devo niente",
    "Non era mitico come dicevano",
    "it wasn't very helpful",
    "you didn't save me any time",
    "helpful?",
    "utile forse",
    "mi hai salutato?",
    "legend of zelda",
]


@pytest.mark.parametrize(("text", "expected"), REPLY_THANKS)
def test_reply_phrases_thank_only_in_a_reply(text, expected):
    assert find_thanks(text, in_reply=True) == expected
    assert is_thanks(text, in_reply=True) is True
    assert find_thanks(text) is None, "said to the group, it is praise, not thanks"


@pytest.mark.parametrize("text", REPLY_NOT_THANKS + EN_NOT_THANKS + IT_NOT_THANKS)
def test_lookalikes_are_not_thanks_in_a_reply_either(text):
    assert find_thanks(text, in_reply=True) is None


@pytest.mark.parametrize(("text", "expected"), EN_THANKS + IT_THANKS)
def test_thanks_are_thanks_in_a_reply_too(text, expected):
    assert find_thanks(text, in_reply=True) == expected


def test_each_language_has_enough_examples():
    for examples in (EN_THANKS, EN_NOT_THANKS, IT_THANKS, IT_NOT_THANKS):
        assert len(examples) >= 40
        assert len(set(examples)) == len(examples), "duplicate example"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", ""),
        ("Thank You", "thank you"),
        ("GRAZIE", "grazie"),
        ("grazìe perché già", "grazie perche gia"),
        ("Ça va, naïve", "ca va, naive"),
        ("Straße", "strasse"),
        ("ＴＨＡＮＫＳ ｆｉ", "thanks fi"),
        ("𝐭𝐡𝐚𝐧𝐤𝐬", "thanks"),
        ("ﬁne", "fine"),
        ("l’aiuto dell‘amico, l´altro", "l'aiuto dell'amico, l'altro"),
        ("“grazie” „danke“ ＂x＂", '"grazie" "danke" "x"'),
        ("«grazie»", "«grazie»"),
        ("  grazie \n\t mille\u00a0 ", "grazie mille"),
        ("gra\u00adzie mil\u200ble", "grazie mille"),
        ("🙏🏽", "🙏🏽"),
        ("ok 👍", "ok 👍"),
        ("+1", "+1"),
    ],
)
def test_normalize(text, expected):
    assert normalize(text) == expected


def test_normalize_is_idempotent():
    text = "  Grazìe MILLE, “Marco”!\n> l’ho già detto 🙏🏻 "
    assert normalize(normalize(text)) == normalize(text)


def test_every_language_has_both_lists():
    assert PHRASES.keys() == NOT_THANKS.keys() == REPLY_PHRASES.keys()
    assert {"en", "it"} <= PHRASES.keys()


@pytest.mark.parametrize(
    "pattern",
    sorted(
        {p for table in (PHRASES, REPLY_PHRASES, NOT_THANKS) for ps in table.values() for p in ps}
    ),
)
def test_patterns_are_written_normalized(pattern):
    # Messages are normalized before matching, so a pattern with capitals or accents
    # could never match.
    assert normalize(pattern) == pattern


PLAIN = re.compile(r"[a-z' ]+")


@pytest.mark.parametrize(
    "phrase",
    sorted({p for phrases in PHRASES.values() for p in phrases if PLAIN.fullmatch(p)}),
)
def test_plain_phrases_find_themselves(phrase):
    assert find_thanks(phrase) == phrase
    assert find_thanks(f"Ok! {phrase.upper()}!!") == phrase


@pytest.mark.parametrize(
    "phrase",
    sorted({p for phrases in NOT_THANKS.values() for p in phrases if PLAIN.fullmatch(p)}),
)
def test_plain_lookalikes_are_not_thanks(phrase):
    assert find_thanks(phrase) is None


@pytest.mark.parametrize(
    "phrase",
    sorted({p for phrases in REPLY_PHRASES.values() for p in phrases if PLAIN.fullmatch(p)}),
)
def test_plain_reply_phrases_find_themselves_in_a_reply(phrase):
    assert find_thanks(phrase, in_reply=True) == phrase
    assert find_thanks(f"Ok! {phrase.upper()}!!", in_reply=True) == phrase
    assert find_thanks(phrase) is None
