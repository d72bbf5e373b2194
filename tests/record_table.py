"""The table the tests of the shipped record fill from reading the articles
(test_record2.py, test_record_setaside.py): one row per (article, state or group, bloc or
entity, status, the date the text gives, the date to ask)."""

from __future__ import annotations


class Table(list):
    def s(self, article, states, objs, status, text=None, at=None):
        """One statement of one article; several states or objects make one row each (a
        tuple, as a group is written, is one subject)."""
        states = [states] if isinstance(states, (str, tuple)) else states
        objs = [objs] if isinstance(objs, str) else objs
        for st in states:
            for obj in objs:
                self.append((article, st, obj, status, text, at or text))

    def roster(self, article, bloc, at, members=(), observers=(), dialogue_partners=()):
        """An article's list of a bloc's members (observers, dialogue partners) at its
        date."""
        for status, group in (("member", members), ("observer", observers),
                              ("dialogue-partner", dialogue_partners)):
            for st in group:
                self.append((article, st, bloc, status, at, at))
