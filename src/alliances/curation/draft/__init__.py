"""`alliances draft SOURCE_ID`: propose candidate facts from one article, for review.

Pure: from an article's text, its publication date and the names a data directory knows,
`draft()` finds candidate statements by general wording rules and `to_yaml()` prints them
in blocs.yaml's own shapes (rosters, memberships, recognitions), each with the verbatim
sentence as its quote and a `# review:` comment saying which rule proposed it. Nothing is
written anywhere: a curator reads, trims and pastes.

How it reads a sentence. Every known name (entity and bloc names and aliases, and the
adjectives of entity names: Russian, Chinese, Abkhazian) is replaced by a token, so the
rules are patterns over tokens and a few words:

- lists of members after "comprises / includes / grouping / consists of", with "X-led",
  observers ("with X and Y holding an observer status") and unnamed trailing items ("and the
  four ex-Soviet republics") making the list incomplete; "X, Y -- all members of B";
  "X, a member of both B1 and B2"; "B -- X's favoured bloc"; "partners in B";
- withdrawal ("was a member but withdrew in 1999"), aspiration ("wants to join B", "pursues
  B entry"), partnership ("B and its partner, X", "association agreement with B"),
  non-membership ("B excludes X", "non-B members X"), observers, and any state named with a
  bloc the data marks as proposed;
- recognition: "X's recognition / X's lead in recognising" (X recognises), "X recognised",
  "followed suit", "followed X's lead", "joined X in recognising"; refusals ("stopped short
  of", "did not", "failed to", "refused", "has not recognised", "don't recognize",
  "unwillingness"), "have yet to" (not yet), and "were not recognized" with no agent (no
  state). A refusal whose subject is collective ("the ministers", "other members of B",
  "the SCO's unwillingness") is expanded to B's members as this same article lists them,
  less the states it says recognise; with no such list it proposes `members_of: B`.

Nothing silently missed: a sentence with a known name and a word of the relation lexicon
that no rule read, and a sentence a rule read only in part (a name, a role word, a group
word or a partial list its proposals leave out), are listed for the curator with the names
found (`article.listing`).

Relative dates near the rule's words ("last month", "on Thursday", "last week", "ten days
since", "in 1999", "early 1990s", "late August", "recently") are resolved against the
publication date into the widest bounds the words allow, with a note saying how.
"""


from __future__ import annotations

from .article import draft  # noqa: F401
from .dates import MONTHS, WEEKDAYS, When, date_phrases  # noqa: F401
from .measure import coverage, curated, names_only, with_known_blocs  # noqa: F401
from .output import rows, to_yaml  # noqa: F401
from .rules import Draft  # noqa: F401
from .sentences import Names, Sentence, sentences  # noqa: F401
