"""Cue rules for relations between documents and bodies.

* implements: "thực hiện", "triển khai (thực hiện)", "cụ thể hóa" + a reference;
  a guidance source makes it ``guides``.
* cites: a clause opening with "Căn cứ" + references (legal basis, weaker).
* assigns: "giao", "phân công", "yêu cầu", "chỉ đạo" + the assignee bodies.
* reports_to: "<body> ... báo cáo (kết quả) (về) <body>", with the cadence.

The source of an implements/cites edge is (a) the reference the cue directly
follows ("Kế hoạch số 15-KH/BCSĐ ngày ... thực hiện Nghị quyết ..."), else (b) a
document issued in the same sentence ("... đã ban hành Kế hoạch số 15 ..."): the
nearest one issued before the cue in its clause, when a sentence issues two, else
(c) the text's own document when the cue opens the clause or follows its title.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from graph.codes import DocType
from ingest.dates import Deadline, find_deadlines
from ingest.extract.model import Evidence, ExpectedDocument, Relation, RelationType
from ingest.extract.refs import NOUN_TYPES, Ref, noun_type
from ingest.extract.sentences import Sentence

__all__ = ["Actor", "Facts", "SentenceRules", "Subject"]

_I = re.IGNORECASE
_NOUN_ALT = "|".join(sorted(NOUN_TYPES, key=len, reverse=True))
_IMPL_CUE_RE = re.compile(r"(?<!\w)(?:(?:triển khai\s+)?thực hiện|triển khai|cụ thể hóa|cụ thể hoá)(?!\w)", _I)
_CITE_CUE_RE = re.compile(r"^\W*(?:\d+(?:\.\d+)*\.\s*)?căn cứ(?!\w)", _I)
# "Đề nghị <A> ...": a plan's request to a body it does not command (the Front, mass organisations); "theo/xét đề
# nghị của <A>" is a proposal, not a task
_ASSIGN_CUE_RE = re.compile(
    r"(?<!\w)(?:giao|phân công|yêu cầu|chỉ đạo|(?<!theo\s)(?<!xét\s)(?<!sở\s)đề nghị(?!\s+của))(?!\w)", _I
)
_REPORT_CUE_RE = re.compile(r"(?<!\w)báo cáo(?!\w)", _I)
_ISSUE_VERBS = ("ban hành", "vừa có", "đã có", "mới có", "ký")  # "Bộ trưởng ... đã ký Quyết định số ..."
_VERB_CHARS = max(map(len, _ISSUE_VERBS))  # a verb ending at a position starts at most this far before it
_ISSUE_VERB_RE = re.compile(rf"(?<!\w)(?:{'|'.join(_ISSUE_VERBS)})\s+$", _I)
_ISSUE_UNCODED_RE = re.compile(
    rf"(?<!\w)(?:{'|'.join(_ISSUE_VERBS)})\s+(?P<noun>{_NOUN_ALT})(?!\s+(?:số|\d))", _I
)
_AGENT_GAP_RE = re.compile(r"\s*(?:(?:đã|vừa|mới|chính thức|cũng|ký|đã ký|vừa ký)\s+)*", _I)
_CLAUSE_OPEN_RE = re.compile(
    r"^\W*(?:(?:\d+(?:\.\d+)*|[IVXLC]+|[a-zđ])[.)]\s*)?(?:(?:để|nhằm|tiếp tục|tổ chức|theo đó,?)\s+)?"
    r"(?:(?:học tập|quán triệt|tuyên truyền|phổ biến|lãnh đạo|chỉ đạo)(?:\s*,\s*|\s+và\s+|\s+))*$",
    _I,
)
_FILLERS = r"(?:(?:học tập|quán triệt|tuyên truyền|phổ biến|lãnh đạo|chỉ đạo)(?:\s*,\s*|\s+và\s+|\s+))*"
_ADJACENT_GAP_RE = re.compile(
    rf"\s*,?\s*(?:(?:về|để|nhằm)(?:\s+[^.;:]*)?\s+)?(?:(?:việc|tiếp tục|đẩy mạnh)\s+)?{_FILLERS}", _I
)
_STOP_WORDS_RE = re.compile(
    rf"(?<!\w)(?:theo|căn cứ|ban hành|giao|yêu cầu|chỉ đạo|phân công|{_NOUN_ALT})(?!\w)", _I
)
_ASSIGN_GAP_RE = re.compile(r"\s*(?:(?:cho|nhiệm vụ cho|trách nhiệm cho)\s+)?", _I)
_LIST_SEP_RE = re.compile(r"\s*(?:,\s*(?:và\s+)?|và\s+|;\s*)\s*", _I)
# between two coordinated references ("Kế hoạch số 30-KH/TU và Kế hoạch số 31-KH/TU")
_COORDINATED_RE = re.compile(r"\s*(?:,|và|cùng|,\s*và)\s*", _I)
# between a reference and a cue it is the subject of: "Kế hoạch số 31-KH/TU (, nhằm) thực hiện ..."
_OWN_CUE_GAP_RE = re.compile(rf"\s*,?\s*(?:(?:để|nhằm)\s+)?(?:(?:việc|tiếp tục|đẩy mạnh)\s+)?{_FILLERS}", _I)
# a reference's own implements cue after it: "Kế hoạch số 31-KH/TU (, nhằm) thực hiện"
_CUE_AFTER_RE = re.compile(rf"{_OWN_CUE_GAP_RE.pattern}{_IMPL_CUE_RE.pattern}", _I)
_LEADS_RE = re.compile(
    r"\s*(?:(?:đã|vừa|mới|cũng|sẽ|tiếp tục|trực tiếp|đồng thời)\s+)*lãnh đạo\s*(?:,\s*|\s+và\s+|\s+)", _I
)  # "<A> lãnh đạo, chỉ đạo <B>": A directs
# a reference issuing a document without a number: "... ban hành Chương trình hành động của Chính phủ"
_ISSUING_GAP_RE = re.compile(
    rf"\s*,?\s*(?:ban hành|phê duyệt)\s+(?:kèm theo\s+)?(?:{_NOUN_ALT})(?!\s+(?:số|\d))(?P<of>\s+của\s+)?", _I
)
# a list item's marker ("1. ", "a) ", "- "; not a Roman section number: "II. TỔ CHỨC THỰC HIỆN"), and the task verb
# after an item's subject
_ITEM_MARKER_RE = re.compile(r"\s*(?:[-+•*]|(?:\d+(?:\.\d+)*|[a-zđ])[.)])\s*", _I)
_BULLET_RE = re.compile(r"[ \t]*[-+•*]\s")  # a bullet line, under a heading ("1. Sở Nội vụ:")
_HEADING_LINES = 12  # a bullet's heading is at most this many lines above it
_ITEM_TASK_RE = re.compile(  # "- Bộ Thông tin và Truyền thông: chủ trì ..." (a table-like row) too
    r"\s*(?:,|:(?![ \t]*\n))?[ \t]*"
    rf"\s*(?:căn cứ\s+(?:(?:{_NOUN_ALT})\s+này|chức năng,?\s+nhiệm vụ(?:\s+được giao)?)\s*,?\s*)?"  # the basis
    r"(?:(?:có trách nhiệm|khẩn trương|chủ động|tiếp tục)\s+)?"
    rf"(?P<verb>chủ trì(?!\w)|xây dựng\s+(?:{_NOUN_ALT})(?!\w))",
    _I,
)
# the text's own document issuing or approving an uncoded one before a cue: "Điều 1. Ban hành kèm theo Nghị quyết
# này Chương trình hành động của Chính phủ thực hiện ...", "Phê duyệt Kế hoạch thực hiện ..."
_OWN_ISSUE_RE = re.compile(
    rf"(?<!\w)(?P<verb>ban hành|phê duyệt)\s+(?:kèm theo\s+(?P<this>{_NOUN_ALT})\s+này\s+)?(?P<noun>{_NOUN_ALT})"
    r"(?:\s+hành động)?(?P<of>\s+của\s+(?P<body>[^\s.;:][^.;:]{0,120}?))?\s+$",
    _I,
)
_ARTICLE_OPEN_RE = re.compile(r"\W*(?:điều\s+\d+\s*[.:]\s*)?", _I)
_TARGET_SEP_RE = re.compile(r"\s*(?:,\s*(?:và\s+)?|và\s+)\s*", _I)  # "báo cáo A, B và C"
_TARGETS_END_RE = re.compile(r"\s*(?:[.;:()]|$|(?:trước|trong|chậm nhất|định kỳ|hằng|hàng|mỗi|theo|để|về)(?!\w))", _I)
_ITEM_LEADS_RE = re.compile(r"\s*,?\s*(?:(?:có trách nhiệm|trực tiếp)\s+)?(?P<verb>lãnh đạo)\s+", _I)
_CITED_AT_RE = re.compile(
    r"\s*[^\W\d][^.;:\d]{0,160}?\s+(?:được\s+)?ban hành\s+(?:kèm theo|tại)\s+", _I
)
_REPORT_AFTER_RE = re.compile(r"\s*,?\s*(?:(?:tổng hợp|đánh giá)\s*,?\s*)?báo cáo(?!\w)", _I)
_PASSIVE_RE = re.compile(r"(?<!\w)(?:cũng\s+|đã\s+|sẽ\s+)?được\s+$", _I)  # "<body> được giao ..."
_TARGET_LEAD_RE = re.compile(r"(?<!\w)(?:theo|căn cứ)(?!\w)", _I)  # words that lead a target, not a subject
_REPORT_GAP_MAX = 45
_RELAY_RE = re.compile(r"\s*(?:\([^)]*\)\s*)?(?:để\s+)?(?:tổng hợp|theo dõi)[^.;:]{0,40}?,?\s*", _I)
_SUBMIT_RE = re.compile(r"\s*(?:gửi|trình)(?!\w)(?!\s+báo cáo)", _I)  # "; gửi về Sở ... trước ngày ..."
_COMPLETION_RE = re.compile(r"\s*(?:hoàn thành|xong|thời hạn|thời gian hoàn thành|chậm nhất)", _I)
_SOURCE_BLOCK_RE = re.compile(r"(?<!\w)(?:trình|gửi|với|cho|về|của|tại|phối hợp)$", _I)


def _blocked_source(text: str, start: int, pos: int) -> bool:
    """Whether text[start:pos] ends with "trình/gửi/với/cho/về/của/tại/phối hợp" and white space: the body at
    ``pos`` receives or helps, it does not report. Only the tail is read (a search of the whole prefix per body
    made a long sentence cubic)."""
    j = pos
    while j > start and text[j - 1].isspace():
        j -= 1
    return _SOURCE_BLOCK_RE.search(text, max(start, j - 10), j) is not None
_EXPECTED_RE = re.compile(
    r"^[^;.]{0,80}?(?<!\w)(?:xây dựng|ban hành|soạn thảo|dự thảo)\s+"
    rf"(?P<title>(?P<noun>{_NOUN_ALT})(?!\s+(?:số\s*)?\d).*)$",
    _I,
)
_TITLE_END_RE = re.compile(
    r",\s*(?:trình|báo cáo|gửi|hoàn thành|xong)|[;.]|\s+(?:để|nhằm)\s", _I
)


_NUMBERING_RE = re.compile(r"\W*(?:(?:\d+(?:\.\d+)*|[IVXLC]+|[a-zđ])[.)]\s*)?", _I)  # "- ", "2. ", "a) "
# how a deadline's own words begin when a preposition leads them (ingest.dates' _PREP and _DAY_RE)
_LED_RE = re.compile(r"(?:chậm nhất|hạn chót|trước|trong|đến|hết|cuối|vào)\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Actor:
    """A body mention usable as a relation endpoint (institution or group)."""

    name: str
    start: int
    end: int
    kind: str  # "institution" | "group"
    parent: str | None
    surface: str


@dataclass(frozen=True, slots=True)
class Subject:
    """The document a sentence speaks for (code may be None: an uncoded letter)."""

    code: str | None
    type: DocType | None
    issuer: str | None


@dataclass
class Facts:
    """Text-wide facts shared by the rules."""

    text: str
    refs: list[Ref]
    actors: list[Actor]
    own: Subject | None
    own_title_noun: str | None
    doc_types: dict[str, DocType]
    topics: list[str] = field(default_factory=list)  # codes the text's subject implements

    _index: dict[str, Any] = field(default_factory=dict, repr=False)  # the lookups below, built on first use

    def _starts(self, name: str, items: list[Any]) -> list[int]:
        """Start offsets of ``items`` (refs or actors, in text order): a span query bisects them instead
        of testing every item of the text (quadratic on a long text with many cues)."""
        if name not in self._index:
            self._index[name] = [item.start for item in items]
        starts: list[int] = self._index[name]
        return starts

    def refs_in(self, start: int, end: int) -> list[Ref]:
        i = bisect_left(self._starts("refs", self.refs), start)
        return [r for r in self.refs[i:bisect_left(self._index["refs"], end)] if r.end <= end]

    def actors_in(self, start: int, end: int) -> list[Actor]:
        i = bisect_left(self._starts("actors", self.actors), start)
        return [a for a in self.actors[i:bisect_left(self._index["actors"], end)] if a.end <= end]

    def _walk(self, name: str, items: list[Any], start: int, end: int, backwards: bool) -> Iterator[Any]:
        """The items (refs or actors) in [start, end) that end by ``end``, one at a time from the first (or,
        ``backwards``, the last): a caller that stops early reads only what it needs (a list per cue of a
        long clause was quadratic)."""
        starts = self._starts(name, items)
        first, stop = bisect_left(starts, start), bisect_left(starts, end)
        for i in range(stop - 1, first - 1, -1) if backwards else range(first, stop):
            if items[i].end <= end:
                yield items[i]

    def refs_from(self, start: int, end: int) -> Iterator[Ref]:
        return self._walk("refs", self.refs, start, end, False)

    def refs_back(self, start: int, end: int) -> Iterator[Ref]:
        return self._walk("refs", self.refs, start, end, True)

    def actors_from(self, start: int, end: int) -> Iterator[Actor]:
        return self._walk("actors", self.actors, start, end, False)

    def actors_back(self, start: int, end: int) -> Iterator[Actor]:
        return self._walk("actors", self.actors, start, end, True)

    def actors_starting(self, start: int, end: int) -> list[Actor]:
        """The actors starting in [start, end), in text order."""
        starts = self._starts("actors", self.actors)
        return self.actors[bisect_left(starts, start):bisect_left(starts, end)]

    def first_actor_from(self, start: int, end: int) -> Actor | None:
        """The first actor starting in [start, end)."""
        i = bisect_left(self._starts("actors", self.actors), start)
        return self.actors[i] if i < len(self.actors) and self.actors[i].start < end else None

    def _covers(self, name: str, spans: Callable[[], list[tuple[int, int]]], pos: int) -> bool:
        """Whether one of ``spans()`` (start, end) holds ``pos``: start <= pos < end (spans may overlap). The
        spans are listed on the first call only (listing them per call was quadratic in a long text)."""
        if name not in self._index:
            ordered = sorted(spans())
            reach, running = [], -1
            for _, end in ordered:
                running = max(running, end)
                reach.append(running)
            self._index[name] = ([start for start, _ in ordered], reach)
        starts, reach = self._index[name]
        k = bisect_right(starts, pos)
        return k > 0 and reach[k - 1] > pos

    def in_ref(self, pos: int) -> bool:
        return self._covers("in_ref", lambda: [(r.start, r.end) for r in self.refs], pos)

    def in_actor(self, pos: int) -> bool:
        return self._covers("in_actor", lambda: [(a.start, a.end) for a in self.actors], pos)

    def in_ref_extent(self, pos: int) -> bool:
        """Whether ``pos`` lies in a reference or its date/issuer metadata."""
        return self._covers("in_extent", lambda: [(r.start, r.extent_end) for r in self.refs], pos)

    def in_ref_metadata(self, pos: int) -> bool:
        """Whether ``pos`` lies in the date/issuer metadata after a reference (end <= pos < extent_end)."""
        return self._covers("in_meta", lambda: [(r.end, r.extent_end) for r in self.refs], pos)


@dataclass
class SentenceRules:
    """Apply every rule to one sentence."""

    facts: Facts
    sentence: Sentence
    issued: list[tuple[Ref, Actor | None]]
    uncoded_agent: Actor | None
    rolling: Subject | None
    relations: list[Relation] = field(default_factory=list)
    expected: list[ExpectedDocument] = field(default_factory=list)
    citing: bool = False  # the previous clause of the sentence opened with "Căn cứ"
    assignees: list[Actor] = field(default_factory=list)  # the bodies the sentence's last assignment gave a task

    @property
    def evidence(self) -> Evidence:
        return Evidence(self.sentence.text, self.sentence.start, self.sentence.end)

    def _add(self, rtype: RelationType, source: str, target: str, deadline: Deadline | None = None,
             task: str | None = None) -> None:
        if source and target and source != target:
            self.relations.append(Relation(rtype, source, target, deadline, self.evidence, task))

    # -- helpers --

    def _ref_type(self, code: str) -> DocType | None:
        return self.facts.doc_types.get(code)

    def _anaphoric_rolling(self, clause: Sentence) -> Subject | None:
        if self.rolling is None or self.rolling.code is None:
            return None
        # "Kế hoạch (này) ...", "Theo đó, kế hoạch ...", "Theo Chương trình, <body> được giao ..."
        m = re.match(rf"^\W*(?:theo đó,?\s+)?(?P<noun>{_NOUN_ALT})(?!\s+(?:số|\d))", clause.text, _I) or re.match(
            rf"^\W*theo\s+(?P<noun>{_NOUN_ALT})(?:\s+này)?\s*,", clause.text, _I)
        if not m:
            return None
        dtype = noun_type(m["noun"])
        if dtype is None or dtype == self.rolling.type:
            return self.rolling
        return None

    def _issued_source(self, clause: Sentence, cue_start: int) -> Ref | None:
        """The document issued in the sentence that the cue at ``cue_start`` speaks for: the nearest one
        issued before the cue in its clause ("A ban hành X thực hiện ... và B ban hành Y, giao ..." is Y's
        task), else the first one issued after it in the clause ("Thực hiện N, A ban hành X"), else the
        nearest one before it in the sentence ("A ban hành X; giao ..."), else the sentence's first."""
        refs = [ref for ref, _agent in self.issued]
        if not refs:
            return None
        in_clause = [r for r in refs if clause.start <= r.start < clause.end]
        before = [r for r in in_clause if r.start < cue_start]
        if before:
            return before[-1]
        if in_clause:
            return in_clause[0]
        before = [r for r in refs if r.start < cue_start]
        return before[-1] if before else refs[0]

    def _implicit_subject(self, clause: Sentence, cue_start: int, *, positional: bool) -> Subject | None:
        issued = self._issued_source(clause, cue_start)
        if issued is not None:
            return Subject(issued.code, self._ref_type(issued.code), None)
        if self.uncoded_agent is not None and not positional:
            return Subject(None, None, self.uncoded_agent.name)
        before = self.facts.text[clause.start : cue_start]
        own = self.facts.own
        if own is not None:
            if not positional:
                return own
            if _CLAUSE_OPEN_RE.match(before):
                return own
            noun = self.facts.own_title_noun
            if noun and re.match(rf"^\W*{re.escape(noun)}\s+{_FILLERS}$", before, _I):
                return own
            tail = max(clause.start, cue_start - 300)
            m = _OWN_ISSUE_RE.search(self.facts.text, tail, cue_start)
            if m and m["of"]:
                # "Ban hành Chương trình hành động của Chính phủ thực hiện ...": "của" names a body, ending at the cue
                actor = self.facts.first_actor_from(m.start("body"), cue_start)
                if actor is None or actor.start != m.start("body") or self.facts.text[actor.end : cue_start].strip():
                    m = None
            if m and noun_type(m["noun"]) in (own.type, None) and not m["this"] and m["verb"].lower() == "ban hành":
                return own
            if m and m["this"] and noun_type(m["this"]) in (own.type, None):
                # "Điều 1. Ban hành kèm theo Quyết định này Kế hoạch thực hiện ...": the decision's own plan
                return own
            if m and own.type in (DocType.DECISION, DocType.RESOLUTION) and _ARTICLE_OPEN_RE.fullmatch(
                self.facts.text, clause.start, m.start()
            ):
                # A decision's title or article opening "Phê duyệt Kế hoạch thực hiện Nghị quyết ..." or "Ban hành
                # Chương trình hành động ... thực hiện ...": what it approves or issues is attached to it
                return own
            return None
        anaphoric = self._anaphoric_rolling(clause)
        if anaphoric is not None and (not positional or re.match(
            rf"^\W*(?:theo đó,?\s+)?(?:{_NOUN_ALT})\s+(?:(?:này|cũng|còn|nhằm|để)\s+)*$", before, _I
        )):
            return anaphoric
        return None

    def _heads_own_cue(self, clause: Sentence, ref: Ref) -> bool:
        """Whether ``ref`` is directly followed by an implements cue with a target of its own ("... và Kế
        hoạch số 31-KH/TU thực hiện Chỉ thị số 05-CT/TW"): it is that cue's subject. A topic ("Kết luận số
        14-KL/TW về tiếp tục thực hiện ...") does not count: it describes the document, which may be a target."""
        gap = _OWN_CUE_GAP_RE.match(self.facts.text, ref.extent_end, clause.end)
        assert gap is not None
        cue = _IMPL_CUE_RE.match(self.facts.text, gap.end(), clause.end)
        return cue is not None and bool(self._targets_after(clause, cue.end()))

    def _targets_after(self, clause: Sentence, pos: int, *, max_gap: int = 40,
                       parallel: bool = False) -> list[Ref]:
        """The reference right after ``pos`` and the ones coordinated with it. With ``parallel`` (the cue's
        subject precedes it: "X thực hiện A và Y thực hiện B"), a reference that heads its own cue is a
        parallel subject and ends the list; else it is a target too ("Thực hiện A và Y thực hiện A, ...")."""
        refs = self.facts.refs_from(max(pos, clause.start), clause.end)
        first = next(refs, None)
        if first is None:
            return []
        gap = self.facts.text[pos : first.start]
        if len(gap) > max_gap or re.search(r"[.;:]", gap) or _STOP_WORDS_RE.search(gap):
            return []
        if self.facts.actors_in(pos, first.start):
            return []
        out = [first]
        prev_end = first.extent_end
        codes = {first.code}
        for ref in refs:
            if ref.code in codes:
                prev_end = max(prev_end, ref.extent_end)
                continue
            gap = self.facts.text[prev_end : ref.start]
            if len(gap) > 250 or ";" in gap or not re.search(r"(?:,|\bvà|\bcùng)\s*$", gap, _I):
                break
            inner = [r for r in self.facts.refs_in(prev_end, ref.start) if r.code not in codes]
            if inner or _IMPL_CUE_RE.search(gap) or re.search(
                r"(?<!\w)(?:theo|căn cứ|ban hành|giao|yêu cầu)(?!\w)", gap, _I
            ):
                break
            if [a for a in self.facts.actors_in(prev_end, ref.start)
                    if not self.facts.in_ref_extent(a.start)]:
                break
            if parallel and self._heads_own_cue(clause, ref):
                break
            out.append(ref)
            codes.add(ref.code)
            prev_end = ref.extent_end
        return out

    def _issues_uncoded(self, ref: Ref, cue_start: int) -> bool:
        """Whether the gap between ``ref`` and the cue at ``cue_start`` is a document without a number that ``ref``
        issues: "Nghị quyết số 50/NQ-CP ... ban hành Chương trình hành động của Chính phủ thực hiện ...",
        "Quyết định số 2987/QĐ-UBND ban hành Kế hoạch triển khai ...". What it issues carries the cue out, and
        so does ``ref``."""
        text = self.facts.text
        m = _ISSUING_GAP_RE.match(text, ref.extent_end, cue_start)
        if m is None:
            return False
        end = m.end()
        if m["of"]:
            actor = self.facts.first_actor_from(end, cue_start)
            if actor is None or actor.start != end:
                return False
            end = actor.end
        return not text[end:cue_start].strip()

    def _adjacent_source(self, clause: Sentence, cue_start: int) -> Ref | None:
        ref = next((r for r in self.facts.refs_back(clause.start, cue_start) if r.extent_end <= cue_start), None)
        if ref is None:
            return None
        gap = self.facts.text[ref.extent_end : cue_start]
        if self._issues_uncoded(ref, cue_start):
            return ref
        if not _ADJACENT_GAP_RE.fullmatch(gap):
            return None
        if len(gap) > 150 or _STOP_WORDS_RE.search(gap) or self.facts.actors_in(ref.extent_end, cue_start):
            return None
        return ref

    def _coordinated_sources(self, clause: Sentence, ref: Ref) -> list[Ref]:
        """``ref`` and the references coordinated before it as the cue's subjects ("Kế hoạch số 30-KH/TU và
        Kế hoạch số 31-KH/TU thực hiện ..."), in text order. A reference that a cue or "theo"/"căn cứ"
        leads is a target, not a subject ("X thực hiện A và Y thực hiện B": A is no subject of B's cue), and so
        are the ones coordinated after it ("X thực hiện A, B và Y thực hiện C": nor is B)."""
        text = self.facts.text
        before = self.facts.refs_in(clause.start, ref.start)
        out = [ref]
        for i in range(len(before) - 1, -1, -1):
            prev = before[i]
            if not _COORDINATED_RE.fullmatch(text, prev.extent_end, out[0].start):
                break
            lead_start = before[i - 1].extent_end if i > 0 else clause.start
            lead = text[lead_start : prev.start]
            if _IMPL_CUE_RE.search(lead) or _TARGET_LEAD_RE.search(lead):
                return [ref]
            out.insert(0, prev)
        return out

    # -- rules --

    def implements(self, clause: Sentence) -> None:
        text = self.facts.text
        for cue in _IMPL_CUE_RE.finditer(text, clause.start, clause.end):
            if self.facts.in_ref(cue.start()):
                continue
            adjacent = self._adjacent_source(clause, cue.start())
            issued = self._issued_source(clause, cue.start())
            parallel = adjacent is not None or (issued is not None and clause.start <= issued.start < cue.start())
            targets = self._targets_after(clause, cue.end(), parallel=parallel)
            if not targets:
                continue
            sources: list[tuple[str, DocType | None]]
            if adjacent is not None:
                sources = [(r.code, self._ref_type(r.code)) for r in self._coordinated_sources(clause, adjacent)]
            else:
                subject = self._implicit_subject(clause, cue.start(), positional=True)
                if subject is None or subject.code is None:
                    # No coded source: the text is about implementing these targets.
                    if subject is None and self.uncoded_agent is not None:
                        self.facts.topics.extend(t.code for t in targets)
                    continue
                sources = [(subject.code, subject.type)]
                self.facts.topics.extend(t.code for t in targets)
            for source, stype in sources:
                rtype = RelationType.GUIDES if stype is DocType.GUIDANCE else RelationType.IMPLEMENTS
                for target in targets:
                    self._add(rtype, source, target.code)

    def cites(self, clause: Sentence) -> None:
        m = _CITE_CUE_RE.match(clause.text)
        if m:
            start = clause.start + m.end()
        else:
            # "Căn cứ A; Hướng dẫn số B ...": a clause that opens with a reference carries the cue on
            refs = self.facts.refs_in(clause.start, clause.end)
            carried = self.citing and refs and not self.facts.text[clause.start : refs[0].start].strip(" -+*•\t")
            self.citing = False
            if not carried:
                return
            start = clause.start
        self.citing = True
        subject = self._implicit_subject(clause, clause.start, positional=False)
        if subject is None or subject.code is None:
            return
        targets = self._targets_after(clause, start, max_gap=60)
        if not targets:
            first = next(self.facts.refs_from(start, clause.end), None)
            if first is not None and _CITED_AT_RE.fullmatch(self.facts.text, start, first.start):
                # "Căn cứ Quy chế ... ban hành kèm theo Quyết định số 123/QĐ-UBND": the decision carrying it
                targets = self._targets_after(clause, first.start)
        for target in targets:
            self._add(RelationType.CITES, subject.code, target.code)

    def _actor_list(self, pos: int, end: int) -> list[Actor]:
        """Actors starting at ``pos`` (after optional white space), coordinated."""
        out: list[Actor] = []
        actors = self.facts.actors_starting(pos, end)
        for actor in actors:
            gap = self.facts.text[pos : actor.start]
            if out and not _LIST_SEP_RE.fullmatch(gap):
                break
            if not out and gap.strip():
                break
            out.append(actor)
            pos = actor.end
        return out

    def _deadline_in(self, start: int, end: int) -> Deadline | None:
        """The clause's deadline: the first one a preposition leads ("trước ngày 10/4/2021", "trong quý
        II/2020") over a bare period, which is more often what the task is about ("tổng hợp kết quả
        quý I/2021, hoàn thành trước ngày 10/4/2021" was due at the end of the quarter)."""
        found = [d for d, _ in find_deadlines(self.facts.text[start:end])]
        led = [d for d in found if _LED_RE.match(d.text)]
        return (led or found or [None])[0]

    def _task_deadline(self, start: int, end: int) -> Deadline | None:
        """A task's deadline in text[start:end]; a cadence right before a report cue, or after one, is the
        report's, not the task's ("chủ trì tuyên truyền Nghị quyết, 6 tháng một lần báo cáo Ban Thường vụ")."""
        text = self.facts.text
        report = _REPORT_CUE_RE.search(text, start, end)
        report_at = report.start() - start if report else end - start
        kept: list[Deadline] = []
        for d, (s, e) in find_deadlines(text[start:end]):
            # "..., báo cáo Ban Thường vụ Huyện ủy định kỳ 6 tháng": a cadence after the report cue is its too
            if d.cadence is not None and d.due is None and (
                    s > report_at or _REPORT_AFTER_RE.match(text, start + e, end)):
                continue
            kept.append(d)
        led = [d for d in kept if _LED_RE.match(d.text)]
        return (led or kept or [None])[0]

    def assigns(self, clause: Sentence) -> None:
        text = self.facts.text
        cues = [c for c in _ASSIGN_CUE_RE.finditer(text, clause.start, clause.end)
                if not self.facts.in_actor(c.start())]
        consumed_until = -1
        for cue in cues:
            if cue.start() < consumed_until:
                continue
            word = cue.group(0).lower()
            gap = _ASSIGN_GAP_RE.match(text, cue.end())
            assert gap is not None
            targets = self._actor_list(gap.end(), clause.end)
            passive = not targets
            if passive:  # "Ủy ban nhân dân thành phố được giao xây dựng Đề án ...": the bodies before receive it
                targets = self._passive_assignees(clause, cue.start())
            if not targets:
                continue
            agent = None if passive else self._agent_before(clause, cue.start(), directs=word == "chỉ đạo")
            if word == "chỉ đạo" and agent is not None and self.facts.own is not None and (
                agent.name != self.facts.own.issuer
            ) and not self.issued:
                # "<A> (lãnh đạo,) chỉ đạo <B> ..." in a plan: the plan gives A the task, to direct B (B drafts
                # the document it is to build), as "giao A chỉ đạo B ..." does
                source = self.facts.own.code or self.facts.own.issuer
                targets = [agent]
            else:
                source = self._assign_source(clause, cue.start(), agent)
            self.assignees = list(targets)  # they have the task, whichever document gives it
            if source is None:
                continue
            # the task follows the cue in the passive, the assignees otherwise ("chỉ đạo" included: "A chỉ đạo B ...")
            task_start = gap.end() if passive else targets[-1].end if targets[0] is not agent else cue.start()
            task = text[task_start : clause.end].strip(" ,.;")
            deadline = self._task_deadline(task_start, clause.end) or self._deadline_after(clause)
            for target in targets:
                self._add(RelationType.ASSIGNS, source, target.name, deadline, task or None)
            self._expected(clause, task_start, targets, source, deadline, task or None)
            consumed_until = clause.end  # nested "chỉ đạo" belongs to this task
        if consumed_until < 0:
            self._item_task(clause)

    def _passive_assignees(self, clause: Sentence, cue_start: int) -> list[Actor]:
        """The bodies right before "được" + the cue at ``cue_start`` ("Sở Nội vụ, Sở Tài chính được giao ..."),
        coordinated, in text order."""
        text = self.facts.text
        m = _PASSIVE_RE.search(text, max(clause.start, cue_start - 12), cue_start)
        if m is None:
            return []
        actors = self.facts.actors_in(clause.start, m.start())
        if not actors or text[actors[-1].end : m.start()].strip():
            return []
        group = [actors[-1]]
        for actor in reversed(actors[:-1]):
            if not _LIST_SEP_RE.fullmatch(text[actor.end : group[0].start]):
                break
            group.insert(0, actor)
        return group

    def _item_task(self, clause: Sentence) -> None:
        """A list item of the text's own document whose subject is the assignee: "2. Các huyện ủy, thị ủy, thành
        ủy xây dựng kế hoạch thực hiện, hoàn thành trước ngày 30/4/2020", "- Ban Tuyên giáo Tỉnh ủy chủ trì, ...".
        Only "chủ trì" and "xây dựng <document>" make the task: a body that "báo cáo"s or "đánh giá"s in an item
        reports, it is not given a document to deliver."""
        own = self.facts.own
        if own is None or clause.start != self.sentence.start:
            return
        text = self.facts.text
        marker = _ITEM_MARKER_RE.match(text, clause.start, clause.end)
        if marker is None:
            return
        targets = self._actor_list(marker.end(), clause.end)
        verb_from = targets[-1].end if targets else marker.end()
        if not targets and _BULLET_RE.match(text, clause.start):
            # "1. Sở Thông tin và Truyền thông:\n- Chủ trì xây dựng ...": the heading's bodies are the subject
            targets = self._heading_subjects(clause.start)
        if not targets or any(t.name == own.issuer for t in targets):
            return
        verb = _ITEM_TASK_RE.match(text, verb_from, clause.end)
        source = own.code or own.issuer
        task_start = verb.start("verb") if verb is not None else self._led_task(verb_from, clause.end)
        if task_start is None or source is None:
            return
        task = text[task_start : clause.end].strip(" ,.;")
        deadline = self._task_deadline(task_start, clause.end) or self._deadline_after(clause)
        for target in targets:
            self._add(RelationType.ASSIGNS, source, target.name, deadline, task or None)
        self.assignees = list(targets)
        self._expected(clause, task_start, targets, source, deadline, task or None)

    def _led_task(self, pos: int, end: int) -> int | None:
        """"<A> lãnh đạo <B> xây dựng Kế hoạch ..." in a list item: A's task (as with "lãnh đạo, chỉ đạo <B>"),
        starting at "lãnh đạo"; None when the item says no such thing."""
        lead = _ITEM_LEADS_RE.match(self.facts.text, pos, end)
        if lead is None:
            return None
        led = self._actor_list(lead.end(), end)
        if not led:
            return None
        builds = _ITEM_TASK_RE.match(self.facts.text, led[-1].end, end)
        if builds is None or not builds["verb"].lower().startswith("xây dựng"):
            return None
        return lead.start("verb")

    def _heading_subjects(self, pos: int) -> list[Actor]:
        """The bodies of the heading line a bullet at ``pos`` (a line start) belongs to: the nearest line above,
        past other bullets, that is only "(<marker>) <bodies>:"."""
        text = self.facts.text
        start = pos
        for _ in range(_HEADING_LINES):
            if start == 0 or text[start - 1] != "\n":
                return []
            line_end = start - 1
            start = text.rfind("\n", 0, line_end) + 1
            if _BULLET_RE.match(text, start, line_end):
                continue  # a sibling bullet
            marker = _ITEM_MARKER_RE.match(text, start, line_end)
            actors = self._actor_list(marker.end() if marker else start, line_end)
            if actors and re.fullmatch(r"\s*:\s*", text[actors[-1].end : line_end]):
                return actors
            return []
        return []

    def _deadline_after(self, clause: Sentence) -> Deadline | None:
        """A task's deadline in the clause after it: "giao Sở Tài chính bố trí kinh phí; hoàn thành trong
        quý IV năm 2020" (the next clause only says when, it assigns nothing)."""
        text, end = self.facts.text, self.sentence.end
        nxt = clause.end
        while nxt < end and text[nxt] in " ;":
            nxt += 1
        following = text[nxt:end].split(";", 1)[0]
        if _ASSIGN_CUE_RE.search(following):
            return None
        if _COMPLETION_RE.match(following):
            return self._deadline_in(nxt, nxt + len(following))
        if _SUBMIT_RE.match(following):
            # "...; gửi về Sở Kế hoạch và Đầu tư trước ngày 30/7/2020": the deliverable's due date (a cadence
            # there is a reporting line's: "gửi về ... hằng quý")
            deadline = self._deadline_in(nxt, nxt + len(following))
            return deadline if deadline is not None and deadline.due is not None else None
        return None

    def _agent_before(self, clause: Sentence, pos: int, *, directs: bool = False) -> Actor | None:
        """The actor right before the cue at ``pos``; before "chỉ đạo" (``directs``) also past "lãnh đạo"
        ("Ban cán sự đảng Ủy ban nhân dân tỉnh lãnh đạo, chỉ đạo Ủy ban nhân dân tỉnh ...")."""
        actor = next(self.facts.actors_back(clause.start, pos), None)
        if actor is None:
            return None
        gap = self.facts.text[actor.end : pos]
        if re.fullmatch(r"\s*(?:(?:đã|vừa|mới|cũng|sẽ|tiếp tục|trực tiếp|đồng thời)\s+)*", gap, _I):
            return actor
        if directs and _LEADS_RE.fullmatch(gap):
            return actor
        return None

    def _assign_source(self, clause: Sentence, cue_start: int, agent: Actor | None) -> str | None:
        issued = self._issued_source(clause, cue_start)
        if issued is not None:
            return issued.code
        own = self.facts.own
        if own is not None:
            return own.code or own.issuer
        anaphoric = self._anaphoric_rolling(clause)
        if anaphoric is not None and anaphoric.code:
            return anaphoric.code
        if agent is not None:
            return agent.name
        if self.uncoded_agent is not None:
            return self.uncoded_agent.name
        return None

    def _expected(self, clause: Sentence, task_start: int, owners: list[Actor], source: str,
                  deadline: Deadline | None, assignment: str | None) -> None:
        """The document the assignment ``assignment`` (its task text) of ``owners`` requires, if it
        has no number yet. It is the deliverable of that assignment, not a second one."""
        text = self.facts.text
        task = text[task_start : clause.end]
        drafter: str | None = None
        m = re.match(r"\s*chỉ đạo\s+", task, _I)
        if m:  # "giao X chỉ đạo [Y] xây dựng ...": Y drafts; without a Y, X directs and owes it alone
            drafters = self._actor_list(task_start + m.end(), clause.end)
            drafter = drafters[0].name if drafters else None
            task_start = drafters[-1].end if drafters else task_start + m.end()
            task = text[task_start : clause.end]
        em = _EXPECTED_RE.match(task)
        if not em:
            return
        title_start = task_start + em.start("title")
        raw_title = em["title"]
        stop = _TITLE_END_RE.search(raw_title)
        cut = stop.start() if stop else len(raw_title)
        for _, (ds, _de) in find_deadlines(raw_title):
            cut = min(cut, ds)
        title = raw_title[:cut].strip(" ,")
        title_end = title_start + len(title)
        dtype = noun_type(em["noun"]) or DocType.OTHER
        issuer_actor = next(
            (a for a in self.facts.actors_in(title_start, title_end)
             if re.search(r"của\s+$", text[title_start : a.start], _I)), None
        )
        implements, inferred = self._expected_target(title_start, title_end)
        for owner in owners:
            self.expected.append(ExpectedDocument(
                type=dtype,
                title=title,
                issuer=issuer_actor.name if issuer_actor else owner.name,
                owner=owner.name,
                drafter=drafter,
                implements=implements,
                implements_inferred=inferred,
                deadline=deadline,
                assigned_by=source,
                evidence=self.evidence,
                task=assignment,
            ))

    def _expected_target(self, start: int, end: int) -> tuple[str | None, bool]:
        text = self.facts.text
        for cue in _IMPL_CUE_RE.finditer(text, start, end):
            refs = [r for r in self.facts.refs_in(cue.end(), end + 200) if r.start >= cue.end()]
            if refs and not _STOP_WORDS_RE.search(text[cue.end() : refs[0].start]) and refs[0].start <= end + 1:
                return refs[0].code, False
            rest = text[cue.end() : end]
            own = self.facts.own
            if own is not None and own.code and (
                not rest.strip() or re.fullmatch(rf"\s*(?:{_NOUN_ALT})\s+này\s*", rest, _I)
            ):
                return own.code, True  # "kế hoạch thực hiện (Kế hoạch này)"
            m = re.match(rf"\s*(?:(?:việc|các nội dung của)\s+)?(?P<noun>{_NOUN_ALT})(?!\s*(?:số|\d))",
                         text[cue.end() : end + 1], _I)
            if m:
                dtype = noun_type(m["noun"])
                candidates = [c for c in dict.fromkeys(self.facts.topics) if self.facts.doc_types.get(c) == dtype]
                if not candidates:
                    candidates = list(dict.fromkeys(
                        r.code for r in self.facts.refs if r.type == dtype and not r.numbered_only))
                if len(set(candidates)) == 1:
                    return candidates[0], True
        return None, False

    def reports(self, clause: Sentence) -> None:
        text = self.facts.text
        cues = [c for c in _REPORT_CUE_RE.finditer(text, clause.start, clause.end)
                if not self.facts.in_ref(c.start())]
        previous: Actor | None = None
        for i, cue in enumerate(cues):
            target = self.facts.first_actor_from(cue.end(), clause.end)
            if target is None:
                continue
            gap = text[cue.end() : target.start]
            if len(gap) > _REPORT_GAP_MAX or re.search(r"[.;:()]|(?<!\w)để(?!\w)", gap, _I):
                continue
            window_start: int | None = None
            if previous is not None and _RELAY_RE.fullmatch(text[previous.end : cue.start()]):
                # "báo cáo về A để tổng hợp, báo cáo B": A reports to B.
                sources = [previous]
            else:
                sources = self._report_sources(clause, cue.start())
                if not sources and self.assignees and clause.start > self.sentence.start \
                        and next(self.facts.actors_from(clause.start, cue.start()), None) is None:
                    # "Giao A chủ trì ...; định kỳ hằng quý tổng hợp, báo cáo B": the clause goes on with A's task
                    sources, window_start = self.assignees, clause.start
            previous = target
            if not sources:
                continue
            window_end = cues[i + 1].start() if i + 1 < len(cues) else clause.end
            if window_start is None:
                window_start = sources[0].start
            deadline = self._deadline_in(window_start, window_end) or self._leading_deadline(
                clause, window_start)
            targets = [target]
            for other in self.facts.actors_from(target.end, window_end):
                # "báo cáo Bộ Chính trị, Ban Bí thư": each coordinated body receives the report
                if not _TARGET_SEP_RE.fullmatch(text, targets[-1].end, other.start):
                    break
                targets.append(other)
            if len(targets) > 1 and not _TARGETS_END_RE.match(text, targets[-1].end, window_end):
                targets = [target]  # "báo cáo A, B bố trí ...": B opens a task of its own
            for source in sources:
                for tgt in targets:
                    self._add(RelationType.REPORTS_TO, source.name, tgt.name, deadline)

    def _leading_deadline(self, clause: Sentence, pos: int) -> Deadline | None:
        """A deadline that opens the clause before its reporter at ``pos`` ("Định kỳ hằng quý, Sở Nội vụ báo
        cáo ..."): a cadence, or one a preposition leads ("Trước ngày 15/12/2020, ..."). A bare period there
        ("Quý II/2020, ...") says when something happened, not when a report is due."""
        text = self.facts.text
        found = find_deadlines(text[clause.start : pos])
        if not found:
            return None
        deadline, (start, end) = found[0]
        for _other, (o_start, o_end) in found[1:]:  # "Định kỳ 6 tháng, hằng năm, ...": the first (most frequent)
            if not re.fullmatch(r"\s*(?:,|và|hoặc|,\s*và)\s*", text[clause.start + end : clause.start + o_start], _I):
                break
            end = o_end
        if not _NUMBERING_RE.fullmatch(text, clause.start, clause.start + start) or not re.fullmatch(
            r"\s*,?\s*", text[clause.start + end : pos]
        ):
            return None
        return deadline if deadline.cadence is not None or _LED_RE.match(deadline.text) else None

    def _sentence_subjects(self, cue_start: int) -> list[Actor]:
        """The actors opening the sentence ("Các tỉnh ủy, ... xây dựng ...; ... báo cáo")."""
        text = self.facts.text
        actors = self.facts.actors_in(self.sentence.start, cue_start)
        if not actors or not re.fullmatch(r"\W*(?:(?:\d+|[IVXLC]+|[a-zđ])[.)]\s*)?",
                                          text[self.sentence.start : actors[0].start], _I):
            return []
        group = [actors[0]]
        for actor in actors[1:]:
            if _LIST_SEP_RE.fullmatch(text[group[-1].end : actor.start]):
                group.append(actor)
            else:
                break
        return group

    def _report_sources(self, clause: Sentence, cue_start: int) -> list[Actor]:
        text = self.facts.text
        # the candidates from the cue backwards: only the last ones can be the sources (one list of them)
        candidates = (a for a in self.facts.actors_back(clause.start, cue_start)
                      if not self.facts.in_ref_metadata(a.start) and not _blocked_source(text, clause.start, a.start))
        last = next(candidates, None)
        if last is None:
            return self._sentence_subjects(cue_start)
        between = text[last.end : cue_start]
        if _REPORT_CUE_RE.search(between) or re.search(r"[.;:]", between):
            return []
        group = [last]
        for actor in candidates:
            if _LIST_SEP_RE.fullmatch(text[actor.end : group[0].start]):
                group.insert(0, actor)
            else:
                break
        return group
