"""Words a local and national paper writes with, the sizes of the text, and two helpers."""

from __future__ import annotations

import datetime
import re
from collections.abc import Sequence

# Words a local and national paper writes with, most common first within each list: the Zipf
# weights follow the order, so "council" is common and "obelisk" is rare.
NOUNS = """
council government police people year week day minister city town school hospital court report
plan money price market company business workers family children water road rail station home
house street service health officials residents group police team club season match league
election vote party campaign leader mayor budget tax rate bank economy inflation job wage rent
energy power gas fuel storm flood weather river harbour port ferry bridge airport flight train
bus car driver museum library festival theatre film music book artist gallery concert stage
player coach goal final cup title game win defeat fans ground stadium race record result
scientist study research university student teacher exam lesson patient nurse doctor ward
clinic treatment drug vaccine virus disease care home farm farmer crop harvest land field
forest park garden beach coast island village county region border country nation state capital
office building project scheme site development housing estate property owner tenant landlord
factory plant production output export import trade deal contract agreement talks summit
meeting hearing inquiry investigation trial judge jury lawyer case charge sentence prison
prisoner officer crime theft fire blaze crash accident injury victim witness statement
spokesman spokeswoman chief executive director chairman board member committee union strike
protest march rally crowd demand claim figure number share profit loss cost fund grant charity
volunteer community church mosque temple festival parade anniversary ceremony award prize
winner medal champion history heritage monument castle tower cathedral obelisk archive
collection exhibition visitor tourist hotel restaurant shop pub cafe menu chef food dinner
technology software app phone network internet data website platform online service system
battery engine vehicle fleet transport traffic journey route timetable delay closure repair
work scheme pilot trial review survey poll analysis forecast warning alert notice letter email
message decision ruling appeal petition law bill act rule policy reform change increase cut
rise fall drop growth surge slump recovery crisis shortage supply demand queue waiting list
""".split()  # noqa: SIM905
VERBS = """
said told announced confirmed warned agreed opened closed approved rejected promised expected
called urged claimed denied revealed reported launched unveiled started finished won lost beat
signed backed blocked delayed cancelled postponed raised lowered cut increased reduced doubled
faced suffered welcomed praised criticised questioned challenged defended admitted insisted
added explained described suggested estimated predicted described hoped feared planned decided
voted elected appointed resigned retired joined left returned arrived visited met discussed
reviewed examined tested found showed proved recorded scored played hosted staged attracted
built repaired replaced restored moved sold bought paid spent saved invested borrowed
""".split()  # noqa: SIM905
ADJECTIVES = """
new local national public private major final first last second next former senior junior early
late recent annual monthly weekly daily local regional rural urban coastal northern southern
eastern western central big small large little long short high low young old strong weak key
main top leading rising falling growing record historic busy quiet heavy light dry wet cold
warm hot bright dark open closed free full empty fresh rare common serious minor independent
official unofficial special general political economic social cultural medical legal financial
military environmental digital popular famous controversial successful
""".split()  # noqa: SIM905
FUNCTION = """
the of to and a in for on that with at by from as is was were be has have had it its this will
would could after before over under about against between during into while than more most also
but not who which their there been
""".split()  # noqa: SIM905
FIRST_NAMES = """
Amelia Olivia Isla Ava Mia Ivy Lily Isabella Rosie Sophia Grace Freya Florence Willow Evie
Harper Poppy Ella Emily Sienna Ruby Alice Daisy Phoebe Matilda Elsie Esme Sofia Eva Hannah
Oliver George Noah Arthur Leo Muhammad Harry Oscar Archie Henry Theodore Freddie Jack Charlie
Theo Alfie Jacob Thomas Finley Arlo William Lucas Roman Tommy Isaac Teddy Ethan Adam James
Samuel Daniel Joseph Benjamin Rory Max Hugo Elijah Sebastian Louis Ezra Toby Reuben Jude
Ibrahim Priya Anika Aisha Fatima Zara Leila Yasmin Chen Wei Mei Hiroshi Yuki Kenji Amara Kofi
Ama Chidi Nia Tariq Omar Sana Rahul Arjun Deepa Marta Lucia Pablo Diego Elena Marco Giulia
Pierre Claire Lars Ingrid Anders Katarzyna Piotr Tomasz Aleksandra Niamh Siobhan Ciaran Aoife
Declan Fiona
""".split()  # noqa: SIM905
SURNAMES = """
Smith Jones Taylor Brown Williams Wilson Johnson Davies Robinson Wright Thompson Evans Walker
White Roberts Green Hall Wood Jackson Clarke Patel Khan Lewis James Phillips Mason Mitchell
Rose Davis Rodriguez Cox Alexander Morgan Moore Mills King Clark Hughes Edwards Hill Harris
Martin Scott Turner Cooper Ward Morris Baker Harrison Young Allen Anderson Bell Carter Chapman
Cook Dixon Ellis Fisher Foster Gibson Graham Grant Gray Hamilton Hart Hayes Henderson Holmes
Hunt Kelly Kennedy Knight Lee Marshall Murphy Murray Owen Palmer Parker Pearson Porter Powell
Price Reid Reynolds Richards Russell Ryan Shaw Simpson Spencer Stevens Stewart Sullivan Walsh
Watson Webb Wells West Wheeler Wilkinson Woods Ahmed Ali Hussain Begum Singh Kaur Sharma Gupta
Nguyen Tanaka Suzuki Wang Zhang Liu Okafor Mensah Diallo Kowalski Novak Rossi Bianchi Garcia
Lopez Martinez Dubois Moreau Jensen Larsen Nielsen Byrne Doyle Gallagher Quinn Fitzgerald
""".split()  # noqa: SIM905
# Place names: one of these and one ending ("Ash" + "bury"), never the same pair twice.
PLACE_STARTS = """
Ash Bar Black Brad Bridge Brook Burn Cam Castle Chester Clay Cold Corn Crow Dun East Elm Fair
Fern Glen Green Hal Hart Hay High Holt Kings Lang Lin Long Mill Moor New North Oak Red Rock
Salt Sand Shep South Stan Stone Sut Thorn Wal Wat West Whit Wick Wil Wind Wood
""".split()  # noqa: SIM905
PLACE_ENDS = """
bury field ford ham ley ton wick worth mouth bridge dale moor stead well by thorpe combe port
minster chester holm gate haven hurst mere side
""".split()  # noqa: SIM905
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

SENTENCE_POOL = 40_000  # sentences the bodies are drawn from
HEADLINE_POOL = 5_000  # subjects, and verbs with their objects, that headlines join
WORDS_MIN, WORDS_MAX = 300, 1_500  # a body's words, counted as `body_words()` counts them
LONGEST_SENTENCE = 22
SLUG_MAX = 80
TEN_YEARS = datetime.timedelta(days=3653)
RECENT = datetime.timedelta(days=14)  # drafts, reviews, embargoes and schedules are this fresh
NO_MATCH = "xylophonequartz"  # a word no generated text contains, for searches that find nothing


def zipf(words: Sequence[str]) -> tuple[list[str], list[float]]:
    """The words and their cumulative Zipf weights (1/rank), for `random.choices`."""
    cum, total = [], 0.0
    for rank in range(1, len(words) + 1):
        total += 1.0 / rank
        cum.append(total)
    return list(words), cum


def body_words(html: str) -> int:
    """A body's words: its whitespace-separated tokens once its markup is gone."""
    return len(re.sub(r"<[^>]+>", " ", html).split())
