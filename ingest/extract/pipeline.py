"""Rule-based extraction of documents, bodies and relations from raw text."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field, replace
from datetime import date

from graph.codes import DocType, try_parse_code
from ingest.dates import find_dates
from ingest.extract.clean import clean
from ingest.extract.groups import find_groups
from ingest.extract.header import Header, parse_header
from ingest.extract.model import (
    Body,
    Claim,
    Document,
    Evidence,
    ExpectedDocument,
    Extraction,
    Relation,
    RelationType,
)
from ingest.extract.refs import Ref, code_spans, find_refs
from ingest.extract.relations import (
    _AGENT_GAP_RE,
    _COORDINATED_RE,
    _CUE_AFTER_RE,
    _ISSUE_UNCODED_RE,
    _ISSUE_VERB_RE,
    _VERB_CHARS,
    Actor,
    Facts,
    SentenceRules,
    Subject,
)
from ingest.extract.sentences import Sentence, clauses, split_sentences
from ingest.gazetteer import Gazetteer, Mention

__all__ = ["extract_text"]

# Issuer codes whose institution is certain (TW, BCSĐ, TU, UBND... are not).
IMPLIED_ISSUERS: dict[str, str] = {
    "TTg": "Thủ tướng Chính phủ",
    "CP": "Chính phủ",
    "VPCP": "Văn phòng Chính phủ",
    "BTGTW": "Ban Tuyên giáo Trung ương",
    "BDVTW": "Ban Dân vận Trung ương",
    "BTCTW": "Ban Tổ chức Trung ương",
    "BKTTW": "Ban Kinh tế Trung ương",
    "UBKTTW": "Ủy ban Kiểm tra Trung ương",
    "BCT": "Bộ Công Thương",
    "BTTTT": "Bộ Thông tin và Truyền thông",
    "BKHCN": "Bộ Khoa học và Công nghệ",
    "BKHĐT": "Bộ Kế hoạch và Đầu tư",
    "BTC": "Bộ Tài chính",
    "BGDĐT": "Bộ Giáo dục và Đào tạo",
    "BNV": "Bộ Nội vụ",
    "BTP": "Bộ Tư pháp",
    "BQP": "Bộ Quốc phòng",
    "BCA": "Bộ Công an",
    "BNG": "Bộ Ngoại giao",
    "BYT": "Bộ Y tế",
    "BLĐTBXH": "Bộ Lao động - Thương binh và Xã hội",
    "BNNPTNT": "Bộ Nông nghiệp và Phát triển nông thôn",
    "BGTVT": "Bộ Giao thông vận tải",
    "BXD": "Bộ Xây dựng",
    "BTNMT": "Bộ Tài nguyên và Môi trường",
    "BVHTTDL": "Bộ Văn hóa, Thể thao và Du lịch",
}
_PARTY_IMPLIED = {"BTGTW", "BDVTW", "BTCTW", "BKTTW", "UBKTTW"}
# "Ngày 27/9/2019, ...", and after a connective of narration: "Trước đó, ngày 10/3/2020, ..."
_LEAD_DATE_RE = re.compile(
    r"^\W*(?:(?:trước đó|sau đó|tiếp đó|đồng thời|cũng)\s*,?\s*)?(?:vào\s+)?ngày\s+", re.IGNORECASE
)
_AT_ISSUE_REACH = 160
_AT_ISSUE_RE = re.compile(r"(?<!\w)(?:phê duyệt|ban hành)(?!\w)[^.;:]{0,140}?\s+tại\s+$", re.IGNORECASE)
_CLAUSE_END_RE = re.compile(r"[;:]|(?<!\w)trước đó(?!\w)", re.IGNORECASE)


# "(Theo|Xét) đề nghị của (Giám đốc) <body> tại <reference>": the body issued the reference (its submission)
_PROPOSAL_RE = re.compile(
    r"(?<!\w)(?:đề nghị|đề xuất)\s+của\s+(?:(?:Giám đốc|Chủ tịch|Trưởng ban|Thủ trưởng|Bộ trưởng|Chánh Văn phòng|"
    r"Cục trưởng|Vụ trưởng|Viện trưởng)\s+)?$",
    re.IGNORECASE,
)
_AT_RE = re.compile(r"\s+tại\s+$", re.IGNORECASE)


def _implied_issuer(code: str) -> str | None:
    parsed = try_parse_code(code)
    if parsed is None:
        return None
    name = IMPLIED_ISSUERS.get(parsed.issuer_code)
    if name is None:
        return None
    if (parsed.family == "party") != (parsed.issuer_code in _PARTY_IMPLIED):
        return None
    return name


def _mask(text: str, spans: list[tuple[int, int, str]]) -> str:
    chars = list(text)
    for start, end, _ in spans:
        for i in range(start, end):
            if chars[i] != "\n":
                chars[i] = " "
    return "".join(chars)


def _merge_numbered(refs: list[Ref]) -> list[Ref]:
    """"Nghị quyết 52" is "52-NQ/TW" when that is the only such code in the text."""
    full = [r for r in refs if not r.numbered_only]
    out: list[Ref] = []
    for ref in refs:
        if ref.numbered_only:
            number = ref.number.lstrip("0") or "0"  # not int(): Python refuses a str of 4,301 digits
            matches = {r.code for r in full if r.type == ref.type and (r.number.lstrip("0") or "0") == number}
            if len(matches) == 1:
                ref = replace(ref, code=matches.pop())
        out.append(ref)
    return out


@dataclass
class _DocAcc:
    code: str
    type: DocType
    first: int
    evidence: Evidence
    is_subject: bool = False
    surfaces: list[str] = field(default_factory=list)
    spans: list[tuple[int, int]] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)

    seen: set[tuple[str, str, int]] = field(default_factory=set)

    def claim(self, fld: str, value: str | None, evidence: Evidence) -> None:
        if value is not None and (fld, value, evidence.start) not in self.seen:
            self.seen.add((fld, value, evidence.start))
            self.claims.append(Claim(fld, value, evidence))

    def build(self) -> Document:
        dates = [c for c in self.claims if c.field == "date"]
        issuers = [c for c in self.claims if c.field == "issuer"]
        issuer = issuers[0].value if issuers else _implied_issuer(self.code)
        return Document(
            code=self.code,
            type=self.type,
            issuer=issuer,
            date=date.fromisoformat(dates[0].value) if dates else None,
            is_subject=self.is_subject,
            surfaces=tuple(dict.fromkeys(self.surfaces)),
            spans=tuple(self.spans),
            claims=tuple(self.claims),
            evidence=self.evidence,
        )


class _Extractor:
    def __init__(self, text: str, path: str, gaz: Gazetteer) -> None:
        self.text = clean(text)
        self.path = path
        self.gaz = gaz
        self.sentences = split_sentences(self.text)
        self.codes = code_spans(self.text)
        self.header = parse_header(self.text, gaz)
        self.mentions = self._mentions()
        self.groups = [
            g for g in find_groups(self.text, self.mentions)
            if not any(m.start <= g.start and g.end <= m.end for m in self.mentions)
        ]
        self.refs = _merge_numbered(
            find_refs(self.text, self.mentions, [(s.start, s.end) for s in self.sentences])
        )
        self.actors = self._actors()
        self._actor_starts = [a.start for a in self.actors]
        # (start, position in self.refs) in text order: a sentence's references by bisection, in refs order
        self._ref_index = sorted((r.start, i) for i, r in enumerate(self.refs))
        self._sentence_starts = [s.start for s in self.sentences]

    def _mentions(self) -> list[Mention]:
        mentions = self.gaz.find_all(_mask(self.text, self.codes))
        header = self.header
        if header is not None and header.issuer and header.issuer_span:
            s, e = header.issuer_span
            mentions = [m for m in mentions if not (s <= m.start < e)]
            mentions.append(Mention(header.issuer, s, e, self.text[s:e]))
            mentions.sort(key=lambda m: m.start)
        return mentions

    def _actors(self) -> list[Actor]:
        actors = [Actor(g.name, g.start, g.end, "group", g.parent, g.surface) for g in self.groups]
        for m in self.mentions:
            if not any(g.start <= m.start < g.end for g in self.groups):
                actors.append(Actor(m.name, m.start, m.end, "institution", None, m.surface))
        return sorted(actors, key=lambda a: a.start)

    def _sentence_of(self, pos: int) -> Sentence:
        i = bisect_right(self._sentence_starts, pos) - 1  # sentences are disjoint, in text order
        if i >= 0 and pos < self.sentences[i].end:
            return self.sentences[i]
        return Sentence(pos, pos, "")

    def _evidence(self, pos: int) -> Evidence:
        s = self._sentence_of(pos)
        return Evidence(s.text, s.start, s.end)

    def _issued(self, sentence: Sentence) -> list[tuple[Ref, Actor | None, bool]]:
        """(reference, agent, coordinated) for every document the sentence issues: after an issue verb, or
        coordinated with one ("Tỉnh ủy ban hành Kế hoạch số 30-KH/TU và Kế hoạch số 31-KH/TU": both are the
        agent's), or heading its own cue in parallel with one ("ban hành Kế hoạch số 30-KH/TU thực hiện A và
        Kế hoạch số 31-KH/TU thực hiện B"). A coordinated one has the issuer and date claims of the list's
        head, but is not the source of the sentence's other cues: which of the list a later task belongs to,
        the text does not say."""
        out: list[tuple[Ref, Actor | None, bool]] = []
        # the sentence's references (refs are in text order): not a pass over all of them per sentence
        first = bisect_left(self._ref_index, (sentence.start, -1))
        last = bisect_left(self._ref_index, (sentence.end, -1), first)
        seen: list[tuple[Ref, tuple[Actor | None] | None]] = []  # the sentence's references, each with its agent
        for i in sorted(i for _, i in self._ref_index[first:last]):
            ref = self.refs[i]
            agent = None if ref.numbered_only else self._coordinated_agent(seen, ref, sentence.end)
            if agent is not None:
                out.append((ref, agent[0], True))
            elif not ref.numbered_only:
                # the verb ends the window ("ban hành 52-NQ/TW"): search its last words only, not the whole
                # sentence for every reference (quadratic in a long sentence of references)
                end = ref.start
                while end > sentence.start and self.text[end - 1].isspace():
                    end -= 1
                verb = _ISSUE_VERB_RE.search(self.text, max(sentence.start, end - _VERB_CHARS), ref.start)
                if verb is not None:
                    agent = (self._agent(sentence, verb.start()),)
                    out.append((ref, agent[0], False))
                else:
                    # "Thủ tướng Chính phủ đã phê duyệt Chương trình ... tại Quyết định số 749/QĐ-TTg": the body
                    # approving or issuing something "tại" a reference issues it (a bounded window before it)
                    at = _AT_ISSUE_RE.search(self.text, max(sentence.start, end - _AT_ISSUE_REACH), ref.start)
                    actor = self._agent(sentence, at.start()) if at is not None else None
                    if actor is not None:
                        agent = (actor,)
                        out.append((ref, actor, False))
            seen.append((ref, agent))
        return out

    def _coordinated_agent(self, seen: list[tuple[Ref, tuple[Actor | None] | None]], ref: Ref,
                           limit: int) -> tuple[Actor | None] | None:
        """The agent of the issued reference ``ref`` is coordinated with: the previous one ("X và Y"), or one
        whose cue's targets ``ref`` follows in parallel ("X thực hiện A và Y thực hiện B", Y heading its own
        cue); None when there is none, or when ``ref`` names another issuer ("của ...")."""
        if not seen or not _COORDINATED_RE.fullmatch(self.text, seen[-1][0].extent_end, ref.start):
            return None
        agent = seen[-1][1]
        if agent is None and _CUE_AFTER_RE.match(self.text, ref.extent_end, limit):
            j = len(seen) - 1  # back over the targets coordinated before ref, to the document whose cue leads them
            while j > 0 and seen[j - 1][1] is None and _COORDINATED_RE.fullmatch(
                self.text, seen[j - 1][0].extent_end, seen[j][0].start
            ):
                j -= 1
            if j > 0 and seen[j - 1][1] is not None:
                cue = _CUE_AFTER_RE.match(self.text, seen[j - 1][0].extent_end, seen[j][0].start)
                if cue is not None and not self.text[cue.end() : seen[j][0].start].strip():
                    agent = seen[j - 1][1]
        if agent is None or (ref.issuer is not None and agent[0] is not None and ref.issuer != agent[0].name):
            return None
        return agent

    def _agent(self, sentence: Sentence, pos: int) -> Actor | None:
        # the last actor of the sentence that ends before pos (actors are sorted by start)
        i = bisect_right(self._actor_starts, pos) - 1
        while i >= 0 and self.actors[i].start >= sentence.start:
            last = self.actors[i]
            if last.end <= pos:
                return last if _AGENT_GAP_RE.fullmatch(self.text[last.end : pos]) else None
            i -= 1
        return None

    def run(self) -> Extraction:
        header = self.header
        doc_types: dict[str, DocType] = {}
        for ref in self.refs:
            doc_types.setdefault(ref.code, ref.type)
        own: Subject | None = None
        if header is not None:
            own_type = header.type
            if header.code:
                parsed = try_parse_code(header.code)
                own_type = parsed.type if parsed and parsed.type is not DocType.OTHER else own_type
                doc_types[header.code] = own_type or DocType.OTHER
            own = Subject(header.code, own_type, header.issuer)
        facts = Facts(self.text, self.refs, self.actors, own, header.noun if header else None, doc_types)
        docs = self._documents(header)
        relations: list[Relation] = []
        expected: list[ExpectedDocument] = []
        rolling: Subject | None = None
        uncoded_agent: Actor | None = None
        for sentence in self.sentences:
            if header is not None and sentence.end <= header.end:
                continue
            issued_all = self._issued(sentence)
            issued = [(ref, agent) for ref, agent, coordinated in issued_all if not coordinated]
            for ref, agent, _coordinated in issued_all:
                acc = docs[ref.code]
                if agent is not None:
                    acc.claim("issuer", agent.name, self._evidence(ref.start))
                # "Ngày 27/9/2019, Bộ Chính trị ban hành Nghị quyết số 52-NQ/TW": the lead date is the issue
                # date, unless the reference carries its own or a clause ends before it ("Ngày 15/5/2020,
                # tại hội nghị ...; trước đó Tỉnh ủy đã ban hành Kế hoạch số 32-KH/TU")
                lead = _LEAD_DATE_RE.match(sentence.text)
                found = find_dates(sentence.text[lead.end() :]) if lead else []
                if lead and found and found[0][2][0] == 0 and ref.date is None \
                        and not _CLAUSE_END_RE.search(sentence.text, lead.end(), ref.start - sentence.start):
                    acc.claim("date", found[0][0].isoformat(), self._evidence(ref.start))
            if own is None:
                m = _ISSUE_UNCODED_RE.search(sentence.text)
                if m and not issued and uncoded_agent is None:
                    uncoded_agent = self._agent(sentence, sentence.start + m.start())
            rules = SentenceRules(facts, sentence, issued, uncoded_agent, rolling)
            for clause in clauses(sentence):
                rules.implements(clause)
                rules.cites(clause)
                rules.assigns(clause)
                rules.reports(clause)
            relations.extend(rules.relations)
            expected.extend(rules.expected)
            if issued:
                ref = issued[-1][0]
                rolling = Subject(ref.code, doc_types.get(ref.code), None)
        documents = tuple(acc.build() for acc in sorted(docs.values(), key=lambda a: a.first))
        relations = _dedupe(relations)
        bodies = self._bodies(relations)
        return Extraction(
            path=self.path,
            text=self.text,
            subject=own.code if own else (rolling.code if rolling else None),
            documents=documents,
            relations=tuple(relations),
            bodies=bodies,
            expected=tuple(expected),
        )

    def _documents(self, header: Header | None) -> dict[str, _DocAcc]:
        docs: dict[str, _DocAcc] = {}
        for ref in self.refs:
            acc = docs.get(ref.code)
            if acc is None:
                acc = docs[ref.code] = _DocAcc(ref.code, ref.type, ref.start, self._evidence(ref.start))
            acc.surfaces.append(self.text[ref.start : ref.end])
            acc.spans.append((ref.start, ref.end))
            ev = self._evidence(ref.start)
            if header is not None and header.code == ref.code and header.code_span and (
                header.code_span[0] == ref.code_start
            ):
                acc.is_subject = True
                head = self.text[: header.end]
                start = len(head) - len(head.lstrip())  # after blank lines the cleaner kept
                ev_h = Evidence(head.strip(), start, len(head.rstrip()))
                acc.claim("issuer", header.issuer, ev_h)
                if header.date:
                    acc.claim("date", header.date.isoformat(), ev_h)
            acc.claim("date", ref.date.isoformat() if ref.date else None, ev)
            acc.claim("issuer", ref.issuer, ev)
            proposer = self._proposer(ref)
            if proposer is not None and ref.issuer is None:
                acc.claim("issuer", proposer.name, ev)
        return docs

    def _proposer(self, ref: Ref) -> Actor | None:
        """The body whose proposal the reference is: "Theo đề nghị của Giám đốc Sở Nội vụ tại Tờ trình số
        95/TTr-SNV" (the basis line of a State decision): that body issued the submission."""
        gap = _AT_RE.search(self.text, max(0, ref.start - 8), ref.start)
        if gap is None:
            return None
        i = bisect_right(self._actor_starts, gap.start()) - 1
        if i < 0 or self.actors[i].end != gap.start():
            return None
        actor = self.actors[i]
        if not _PROPOSAL_RE.search(self.text, max(0, actor.start - 40), actor.start):
            return None
        return actor

    def _bodies(self, relations: list[Relation]) -> tuple[Body, ...]:
        endpoints = {r.source for r in relations} | {r.target for r in relations}
        first: dict[str, tuple[int, Actor | Mention, str, str | None]] = {}
        surfaces: dict[str, list[str]] = {}
        for m in self.mentions:
            first.setdefault(m.name, (m.start, m, "institution", None))
            surfaces.setdefault(m.name, []).append(m.surface)
        for g in self.groups:
            if g.name in endpoints:
                first.setdefault(g.name, (g.start, Actor(g.name, g.start, g.end, "group", g.parent,
                                                         g.surface), "group", g.parent))
                surfaces.setdefault(g.name, []).append(g.surface)
        bodies = []
        for name, (start, _obj, kind, parent) in sorted(first.items(), key=lambda kv: kv[1][0]):
            bodies.append(Body(name, kind, tuple(dict.fromkeys(surfaces[name])), parent, self._evidence(start)))
        return tuple(bodies)


def _dedupe(relations: list[Relation]) -> list[Relation]:
    """One relation per (type, source, target), and per task for assignments: a plan giving one
    department two tasks assigns both (ingest keys ASSIGNS edges by task)."""
    out: dict[tuple[str, str, str, str], Relation] = {}
    for rel in relations:
        task = (rel.task or "") if rel.type == RelationType.ASSIGNS else ""
        key = (rel.type.value, rel.source, rel.target, task)
        kept = out.get(key)
        if kept is None:
            out[key] = rel
        elif kept.deadline is None and rel.deadline is not None:
            out[key] = replace(kept, deadline=rel.deadline)
    return list(out.values())


def extract_text(text: str, path: str = "", gazetteer: Gazetteer | None = None) -> Extraction:
    """Extract documents, relations and bodies from raw Vietnamese text.

    ``text`` may be NFC or NFD; every span in the result refers to its cleaned form
    (``Extraction.text``).
    """
    return _Extractor(text, path, gazetteer or Gazetteer.default()).run()
