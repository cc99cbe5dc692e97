"""Institution gazetteer: canonical names, aliases and mention finding.

Matching works on a *normalised token stream*: the NFC text is split into
letter/digit tokens, each folded (lower case, no diacritics, đ -> d, so "ủy" and
"uỷ" agree) and common abbreviations are expanded ("UBND" -> "uy ban nhan dan",
"TP.HCM"/"TPHCM"/"TP. HCM" -> "thanh pho ho chi minh", "BCSĐ", "BTV", "HĐND",
"MTTQ", "TW"...). Aliases are normalised the same way, so one rule covers every
spelling. Punctuation is ignored inside names ("Bộ Lao động - Thương binh và Xã
hội", "Bộ Văn hóa, Thể thao và Du lịch").

Three families of names exist:

* static bodies (central Party and State bodies, ministries, their Party
  delegations and Party committees);
* regional bodies built at run time from a region (the 63 provinces and
  centrally-run cities of 2020): "Tỉnh ủy Bình Dương", "Ủy ban nhân dân tỉnh
  Bình Dương", "Ban Thường vụ Thành ủy Thành phố Hồ Chí Minh", "Sở Tài chính
  Thành phố Hà Nội";
* district bodies: "Quận ủy Quận 1", "Huyện ủy Củ Chi", "Ủy ban nhân dân Quận 3".

Context-dependent mentions ("Thành ủy", "Ban Thường vụ Thành ủy", "UBND Thành
phố", "Ban cán sự đảng Bộ", "Bộ", "Quận ủy") resolve against the last explicit
region, ministry or district mentioned before them; without one they are left
unresolved (a missing fact is better than a wrong one).
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, insort
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import lru_cache

__all__ = ["Gazetteer", "Mention", "ResolveContext", "fold_chars"]


# --- text helpers ----------------------------------------------------------------


@lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    if ch in "đĐ":
        return "d"
    base = "".join(c for c in unicodedata.normalize("NFD", ch) if unicodedata.category(c) != "Mn")
    base = base.lower()
    return base[:1] if base else ch


def fold_chars(text: str) -> str:
    """Fold character by character: same length as ``text`` (offsets are kept).

    Expects NFC text; "Thành ủy" -> "thanh uy".
    """
    return "".join(_fold_char(ch) for ch in text)


@dataclass(frozen=True, slots=True)
class _Token:
    norm: str  # folded, abbreviation-expanded word
    start: int  # span in the original (NFC) text
    end: int
    surface: str  # original surface of the source token(s)
    line: int
    glued: bool  # only white space separates it from the next source token
    hard_break: bool = False  # sentence punctuation (". ", ";", ":") follows it


_TOKEN_RE = re.compile(r"[^\W_]+|&")

# Abbreviation expansion, longest pattern first. Keys and values are folded.
_REWRITES: list[tuple[tuple[str, ...], tuple[str, ...]]] = [
    (("tp", "ho", "chi", "minh"), ("thanh", "pho", "ho", "chi", "minh")),
    (("thanh", "pho", "hcm"), ("thanh", "pho", "ho", "chi", "minh")),
    (("t", "p", "hcm"), ("thanh", "pho", "ho", "chi", "minh")),
    (("tp", "hcm"), ("thanh", "pho", "ho", "chi", "minh")),
    (("tphcm",), ("thanh", "pho", "ho", "chi", "minh")),
    (("hcm",), ("thanh", "pho", "ho", "chi", "minh")),
    (("tp",), ("thanh", "pho")),
    (("ubnd",), ("uy", "ban", "nhan", "dan")),
    (("ubmttq",), ("uy", "ban", "mat", "tran", "to", "quoc")),
    (("hdnd",), ("hoi", "dong", "nhan", "dan")),
    (("bcsd",), ("ban", "can", "su", "dang")),
    (("btv",), ("ban", "thuong", "vu")),
    (("ban", "tv"), ("ban", "thuong", "vu")),
    (("ban", "csd"), ("ban", "can", "su", "dang")),
    (("btg",), ("ban", "tuyen", "giao")),
    (("bdv",), ("ban", "dan", "van")),
    (("mttq",), ("mat", "tran", "to", "quoc")),
    (("bch",), ("ban", "chap", "hanh")),
    (("tw",), ("trung", "uong")),
    (("t", "u"), ("trung", "uong")),
    (("&",), ("va",)),
]
_REWRITE_MAX = max(len(k) for k, _ in _REWRITES)
_REWRITE_MAP = dict(_REWRITES)
_Q_NUM_RE = re.compile(r"^q(\d{1,2})$")
_HARD_BREAK_RE = re.compile(r"[;:!?]|\.(?:\s|$)")
_DOTTED = frozenset({"tp", "tx"})  # "TP. Hà Nội", "TX. Sơn Tây": the dot abbreviates, it ends nothing
_DOT_GAP_RE = re.compile(r"\.[ \t]*")


def _tokenise(text: str) -> list[_Token]:
    raw: list[tuple[str, int, int, int, bool, bool]] = []
    matches = list(_TOKEN_RE.finditer(text))
    line = 0
    last = 0
    for i, m in enumerate(matches):
        line += text.count("\n", last, m.start())
        last = m.start()
        nxt = matches[i + 1].start() if i + 1 < len(matches) else len(text)
        gap = text[m.end() : nxt]
        glued = gap.strip() == "" and "\n" not in gap
        hard = bool(_HARD_BREAK_RE.search(gap)) or (i + 1 == len(matches))
        folded = fold_chars(m.group(0))
        if hard and i + 1 < len(matches) and folded in _DOTTED and _DOT_GAP_RE.fullmatch(gap):
            glued, hard = True, False
        raw.append((folded, m.start(), m.end(), line, glued, hard))
    out: list[_Token] = []
    i = 0
    while i < len(raw):
        done = False
        for size in range(min(_REWRITE_MAX, len(raw) - i), 0, -1):
            key = tuple(r[0] for r in raw[i : i + size])
            repl = _REWRITE_MAP.get(key)
            if repl is None:
                continue
            start, end = raw[i][1], raw[i + size - 1][2]
            last_tok = raw[i + size - 1]
            for word in repl:
                out.append(_Token(word, start, end, text[start:end], raw[i][3], last_tok[4]))
            out[-1] = replace(out[-1], hard_break=last_tok[5])
            i += size
            done = True
            break
        if done:
            continue
        word, start, end, ln, glued, hard = raw[i]
        qm = _Q_NUM_RE.match(word)
        if qm:
            out.append(_Token("quan", start, end, text[start:end], ln, glued))
            out.append(_Token(qm.group(1), start, end, text[start:end], ln, glued, hard))
        elif word == "q" and i + 1 < len(raw) and raw[i + 1][0].isdigit():
            out.append(_Token("quan", start, end, text[start:end], ln, glued))
        else:
            out.append(_Token(word, start, end, text[start:end], ln, glued, hard))
        i += 1
    return out


def normalise_name(text: str) -> str:
    """The normalised token string of a name: "UBND TP.HCM" -> "uy ban nhan dan thanh pho ..."."""
    return " ".join(t.norm for t in _tokenise(unicodedata.normalize("NFC", text)))


# --- data ----------------------------------------------------------------------------

_CENTRAL: list[tuple[str, list[str]]] = [
    ("Bộ Chính trị", []),
    ("Ban Chấp hành Trung ương", ["Ban Chấp hành Trung ương Đảng", "Trung ương Đảng"]),
    ("Ban Bí thư", ["Ban Bí thư Trung ương Đảng", "Ban Bí thư Trung ương"]),
    ("Chính phủ", []),
    ("Thủ tướng Chính phủ", ["Thủ tướng"]),
    ("Quốc hội", []),
    ("Ủy ban Thường vụ Quốc hội", []),
    ("Văn phòng Chính phủ", []),
    ("Văn phòng Trung ương Đảng", []),
    ("Ban Tuyên giáo Trung ương", []),
    ("Ban Dân vận Trung ương", []),
    ("Ban Tổ chức Trung ương", []),
    ("Ban Kinh tế Trung ương", []),
    ("Ban Nội chính Trung ương", []),
    ("Ban Đối ngoại Trung ương", []),
    ("Ủy ban Kiểm tra Trung ương", []),
    ("Ủy ban Trung ương Mặt trận Tổ quốc Việt Nam", []),
    ("Ban cán sự đảng Chính phủ", []),
    ("Đảng ủy Khối các cơ quan Trung ương", []),
    ("Đảng ủy Khối doanh nghiệp Trung ương", []),
    ("Ngân hàng Nhà nước Việt Nam", []),
    ("Thanh tra Chính phủ", []),
]

# Ministry -> aliases (the first alias is the short name).
_MINISTRIES: list[tuple[str, list[str]]] = [
    ("Bộ Công Thương", []),
    ("Bộ Thông tin và Truyền thông", ["Bộ TT&TT", "Bộ TTTT", "Bộ TT và TT"]),
    ("Bộ Khoa học và Công nghệ", ["Bộ KH&CN", "Bộ KHCN"]),
    ("Bộ Kế hoạch và Đầu tư", ["Bộ KH&ĐT", "Bộ KHĐT"]),
    ("Bộ Tài chính", []),
    ("Bộ Giáo dục và Đào tạo", ["Bộ GD&ĐT", "Bộ GDĐT"]),
    ("Bộ Nội vụ", []),
    ("Bộ Tư pháp", []),
    ("Bộ Quốc phòng", []),
    ("Bộ Công an", []),
    ("Bộ Ngoại giao", []),
    ("Bộ Y tế", []),
    ("Bộ Lao động - Thương binh và Xã hội", ["Bộ LĐ-TB&XH", "Bộ LĐTBXH"]),
    ("Bộ Nông nghiệp và Phát triển nông thôn", ["Bộ NN&PTNT", "Bộ NNPTNT"]),
    ("Bộ Giao thông vận tải", ["Bộ GTVT"]),
    ("Bộ Xây dựng", []),
    ("Bộ Tài nguyên và Môi trường", ["Bộ TN&MT", "Bộ TNMT"]),
    ("Bộ Văn hóa, Thể thao và Du lịch", ["Bộ VH-TT&DL", "Bộ VHTTDL"]),
]

# Provincial departments (Sở) mirror the ministries.
_DEPARTMENTS: list[str] = [m[len("Bộ ") :] for m, _ in _MINISTRIES if m not in
                           ("Bộ Quốc phòng", "Bộ Công an", "Bộ Ngoại giao")] + ["Ngoại vụ"]

# The 63 provinces and centrally-run cities before the 2025 merger.
_CITIES = ["Hà Nội", "Thành phố Hồ Chí Minh", "Hải Phòng", "Đà Nẵng", "Cần Thơ"]
_PROVINCES = [
    "An Giang", "Bà Rịa - Vũng Tàu", "Bạc Liêu", "Bắc Giang", "Bắc Kạn", "Bắc Ninh",
    "Bến Tre", "Bình Dương", "Bình Định", "Bình Phước", "Bình Thuận", "Cà Mau",
    "Cao Bằng", "Đắk Lắk", "Đắk Nông", "Điện Biên", "Đồng Nai", "Đồng Tháp", "Gia Lai",
    "Hà Giang", "Hà Nam", "Hà Tĩnh", "Hải Dương", "Hậu Giang", "Hòa Bình", "Hưng Yên",
    "Khánh Hòa", "Kiên Giang", "Kon Tum", "Lai Châu", "Lâm Đồng", "Lạng Sơn", "Lào Cai",
    "Long An", "Nam Định", "Nghệ An", "Ninh Bình", "Ninh Thuận", "Phú Thọ", "Phú Yên",
    "Quảng Bình", "Quảng Nam", "Quảng Ngãi", "Quảng Ninh", "Quảng Trị", "Sóc Trăng",
    "Sơn La", "Tây Ninh", "Thái Bình", "Thái Nguyên", "Thanh Hóa", "Thừa Thiên Huế",
    "Tiền Giang", "Trà Vinh", "Tuyên Quang", "Vĩnh Long", "Vĩnh Phúc", "Yên Bái",
]

_PARTY_ROLES: dict[str, str] = {
    "ban thuong vu": "Ban Thường vụ",
    "thuong truc": "Thường trực",
    "ban tuyen giao": "Ban Tuyên giáo",
    "ban dan van": "Ban Dân vận",
    "ban to chuc": "Ban Tổ chức",
    "ban kinh te": "Ban Kinh tế",
    "ban noi chinh": "Ban Nội chính",
    "uy ban kiem tra": "Ủy ban Kiểm tra",
    "van phong": "Văn phòng",
}
_STATE_ORGS: dict[str, str] = {
    "uy ban nhan dan": "Ủy ban nhân dân",
    "hoi dong nhan dan": "Hội đồng nhân dân",
    "uy ban mat tran to quoc viet nam": "Ủy ban Mặt trận Tổ quốc Việt Nam",
    "uy ban mat tran to quoc": "Ủy ban Mặt trận Tổ quốc Việt Nam",
}
_STATE_PREFIX: dict[str, str] = {
    "ban can su dang": "Ban cán sự đảng",
    "dang doan": "Đảng đoàn",
}


@dataclass(frozen=True, slots=True)
class Region:
    """A province or centrally-run city."""

    name: str  # "Thành phố Hồ Chí Minh", "Hà Nội", "Bình Dương"
    kind: str  # "city" | "province"

    @property
    def party_committee(self) -> str:
        if self.name == "Thành phố Hồ Chí Minh":
            return "Thành ủy Thành phố Hồ Chí Minh"
        return f"{'Thành ủy' if self.kind == 'city' else 'Tỉnh ủy'} {self.name}"

    @property
    def state_suffix(self) -> str:
        if self.kind == "city":
            return self.name if self.name.startswith("Thành phố") else f"Thành phố {self.name}"
        return f"tỉnh {self.name}"


@dataclass(frozen=True, slots=True)
class District:
    """An urban (quận) or rural (huyện) district; ``label`` is "Quận 3" or "Củ Chi"."""

    kind: str  # "quan" | "huyen" | "thi"
    label: str

    @property
    def party_committee(self) -> str:
        word = {"quan": "Quận ủy", "huyen": "Huyện ủy", "thi": "Thị ủy"}[self.kind]
        return f"{word} {self.label}"

    @property
    def people_committee(self) -> str:
        return self.state_body("Ủy ban nhân dân")

    def state_body(self, org: str) -> str:
        """The district's People's Committee, People's Council or Fatherland Front committee (``org``)."""
        if self.label.startswith("Quận "):
            return f"{org} {self.label}"
        word = {"quan": "quận", "huyen": "huyện", "thi": "thị xã"}[self.kind]
        return f"{org} {word} {self.label}"


@dataclass(frozen=True, slots=True)
class ResolveContext:
    """What a context-dependent mention resolves against."""

    region: Region | None = None
    ministry: str | None = None
    district: District | None = None


@dataclass(frozen=True, slots=True)
class Mention:
    """An institution mention; ``name`` is the canonical name."""

    name: str
    start: int
    end: int
    surface: str


# --- candidates ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Cand:
    first: int  # token indices, inclusive
    last: int
    name: str | None = None  # resolved now
    bare: str | None = None  # resolve from context: "party:<role>", "state:...", ...
    sets_region: Region | None = None
    sets_ministry: str | None = None
    sets_district: District | None = None
    priority: int = 0


@dataclass
class _Static:
    canonical: str
    ministry: str | None = None
    region: Region | None = None


@dataclass
class _Tables:
    static: dict[str, _Static] = field(default_factory=dict)
    regions: dict[str, Region] = field(default_factory=dict)
    departments: dict[str, str] = field(default_factory=dict)
    short: dict[str, str] = field(default_factory=dict)


def _alternation(keys: Iterable[str]) -> str:
    return "|".join(re.escape(k) for k in sorted(set(keys), key=len, reverse=True))


class Gazetteer:
    """Canonical institution names, aliases and a mention finder."""

    def __init__(self) -> None:
        self._t = _Tables()
        self._build()

    @classmethod
    @lru_cache(maxsize=1)
    def default(cls) -> Gazetteer:
        return cls()

    # -- construction --

    def _add_static(self, canonical: str, aliases: Iterable[str] = (), **kw: object) -> None:
        entry = _Static(canonical, **kw)  # type: ignore[arg-type]
        for alias in (canonical, *aliases):
            key = normalise_name(alias)
            self._t.static.setdefault(key, entry)

    def _build(self) -> None:
        t = self._t
        for name, aliases in _CENTRAL:
            self._add_static(name, aliases)
        for name, aliases in _MINISTRIES:
            self._add_static(name, aliases, ministry=name)
            if aliases:
                t.short[name] = aliases[0]
            for prefix in ("Ban cán sự đảng", "Đảng ủy"):
                self._add_static(
                    f"{prefix} {name}", [f"{prefix} {a}" for a in aliases], ministry=name
                )
        for dept in _DEPARTMENTS:
            t.departments[normalise_name(dept)] = dept
        for name, aliases in _MINISTRIES:
            for alias in aliases:
                t.departments.setdefault(normalise_name("Sở" + alias[2:])[3:], name[len("Bộ "):])
        for city in _CITIES:
            region = Region(city, "city")
            key = normalise_name(city)
            t.regions[key] = region
            if not key.startswith("thanh pho"):
                t.regions["thanh pho " + key] = region
        for prov in _PROVINCES:
            region = Region(prov, "province")
            key = normalise_name(prov)
            t.regions[key] = region
            t.regions["tinh " + key] = region
        # Hà Nội bodies are conventionally "Thành ủy Hà Nội" / "Ủy ban nhân dân Thành phố Hà Nội".
        region_alt = _alternation(t.regions)
        roles = _alternation(_PARTY_ROLES)
        self._static_re = re.compile(rf"(?<!\S)(?:{_alternation(t.static)})(?!\S)")
        self._region_re = re.compile(rf"(?<!\S)(?:{region_alt})(?!\S)")
        self._party_re = re.compile(
            rf"(?<!\S)(?:(?P<role>{roles}) )?(?P<pc>thanh uy|tinh uy|tu)(?: (?P<region>{region_alt}))?(?!\S)"
        )
        self._state_re = re.compile(
            rf"(?<!\S)(?:(?P<pre>{_alternation(_STATE_PREFIX)}) )?(?P<org>{_alternation(_STATE_ORGS)})"
            rf"(?: (?P<region>{region_alt})| (?P<lvl>thanh pho|tinh|quan|huyen|thi xa)(?: (?P<num>\d{{1,2}}))?)(?!\S)"
        )
        self._district_party_re = re.compile(
            rf"(?<!\S)(?:(?P<role>{roles}) )?(?P<du>quan uy|huyen uy|thi uy)(?: (?:quan )?(?P<num>\d{{1,2}}))?(?!\S)"
        )
        self._dept_re = re.compile(
            rf"(?<!\S)so (?P<dept>{_alternation(t.departments)})"
            rf"(?: (?P<region>{region_alt})| (?P<lvl>thanh pho|tinh))?(?!\S)"
        )
        self._ministry_bare_re = re.compile(r"(?<!\S)(?:(?P<pre>ban can su dang|dang uy) )?bo(?!\S)")

    # -- public API --

    def find_all(self, text: str, context: ResolveContext | str | None = None) -> list[Mention]:
        """All resolved institution mentions, longest first, non-overlapping, in order."""
        return self._find(text, context, strict_case=True)

    def _find(self, text: str, context: ResolveContext | str | None, *, strict_case: bool) -> list[Mention]:
        text = unicodedata.normalize("NFC", text)
        tokens = _tokenise(text)
        if not tokens:
            return []
        ctx = self._context_of(context)
        cands = self._candidates(tokens, strict_case=strict_case)
        chosen = self._select(cands, tokens)
        mentions: list[Mention] = []
        regions = self._standalone_regions(tokens)  # in text order
        next_region = 0  # the regions before it are applied (a pass over the rest per mention was quadratic)
        for cand in chosen:
            while next_region < len(regions) and regions[next_region][0] < cand.first:
                ctx = replace(ctx, region=regions[next_region][1])
                next_region += 1
            name = cand.name if cand.name else self._resolve_bare(cand.bare or "", ctx)
            if cand.sets_region:
                ctx = replace(ctx, region=cand.sets_region)
            if cand.sets_ministry:
                ctx = replace(ctx, ministry=cand.sets_ministry)
            if cand.sets_district:
                ctx = replace(ctx, district=cand.sets_district)
            if name:
                start, end = tokens[cand.first].start, tokens[cand.last].end
                mentions.append(Mention(name, start, end, text[start:end]))
        return mentions

    def context_at(self, text: str, position: int | None = None) -> ResolveContext:
        """The resolution context established by ``text[:position]``."""
        text = unicodedata.normalize("NFC", text)
        prefix = text if position is None else text[:position]
        return self._context_of(prefix)

    def resolve(self, name: str, context: ResolveContext | str | None = None) -> str | None:
        """Canonical name of ``name`` if the whole string is one institution name."""
        if not name or not name.strip():
            return None
        text = unicodedata.normalize("NFC", name).strip(" \t\r\n.,;:()")
        mentions = self._find(text, context, strict_case=False)
        if len(mentions) == 1 and mentions[0].start == 0 and mentions[0].end == len(text):
            return mentions[0].name
        return None

    def short_name(self, canonical: str) -> str:
        """A short display name: "Ủy ban nhân dân Thành phố Hồ Chí Minh" -> "UBND TP.HCM"."""
        if canonical in self._t.short:
            return self._t.short[canonical]
        out = canonical
        for long, short in _SHORT_FORMS:
            out = out.replace(long, short)
        for ministry, short in self._t.short.items():
            out = out.replace(ministry, short)
        return out

    def canonical_names(self) -> list[str]:
        """The static canonical names (regional and district names are generated)."""
        return sorted({e.canonical for e in self._t.static.values()})

    # -- internals --

    def _context_of(self, context: ResolveContext | str | None) -> ResolveContext:
        if context is None:
            return ResolveContext()
        if isinstance(context, ResolveContext):
            return context
        ctx = ResolveContext()
        text = unicodedata.normalize("NFC", context)
        tokens = _tokenise(text)
        events: list[tuple[int, ResolveContext]] = []
        for first, region in self._standalone_regions(tokens):
            events.append((first, ResolveContext(region=region)))
        for cand in self._select(self._candidates(tokens), tokens):
            events.append(
                (cand.first, ResolveContext(cand.sets_region, cand.sets_ministry, cand.sets_district))
            )
        for _, ev in sorted(events, key=lambda e: e[0]):
            ctx = ResolveContext(
                ev.region or ctx.region, ev.ministry or ctx.ministry, ev.district or ctx.district
            )
        return ctx

    def _resolve_bare(self, bare: str, ctx: ResolveContext) -> str | None:
        kind, _, rest = bare.partition(":")
        if kind == "party":  # rest = "<role>|thanh|tinh"
            role, pc = rest.split("|")
            region = ctx.region
            if region is None or (pc == "thanh") != (region.kind == "city"):
                return None
            return f"{role} {region.party_committee}".strip()
        if kind == "state":  # rest = "<prefix>|<org>|thanh pho|tinh"
            pre, org, lvl = rest.split("|")
            region = ctx.region
            if region is None or (lvl == "thanh pho") != (region.kind == "city"):
                return None
            return f"{pre} {org} {region.state_suffix}".strip()
        if kind == "dept":
            if ctx.region is None:
                return None
            return f"Sở {rest} {ctx.region.state_suffix}"
        if kind == "ministry":  # rest = prefix
            if ctx.ministry is None:
                return None
            return f"{rest} {ctx.ministry}".strip()
        if kind == "dparty":  # rest = "<role>|<kind>"
            role, dkind = rest.split("|")
            if ctx.district is None or ctx.district.kind != dkind:
                return None
            return f"{role} {ctx.district.party_committee}".strip()
        if kind == "dstate":  # rest = "<prefix>|<kind>|<org>"
            pre, dkind, org = rest.split("|")
            if ctx.district is None or ctx.district.kind != dkind:
                return None
            return f"{pre} {ctx.district.state_body(org)}".strip()
        return None

    def _standalone_regions(self, tokens: list[_Token]) -> list[tuple[int, Region]]:
        """Explicit region names ("TP.HCM", "tỉnh Bình Dương") that set the context."""
        norm, starts = _joined(tokens)
        found: list[tuple[int, Region]] = []
        for m in self._region_re.finditer(norm):
            first, last = starts[m.start()], _last_index(starts, m.end())
            key = m.group(0)
            prefixed = key.startswith(("thanh pho", "tinh ")) or key == "ha noi"
            if not prefixed and not all(_capitalised(tokens[i]) for i in range(first, last + 1)):
                continue
            found.append((first, self._t.regions[key]))
        return found

    def _candidates(self, tokens: list[_Token], *, strict_case: bool = True) -> list[_Cand]:
        norm, starts = _joined(tokens)
        t = self._t
        out: list[_Cand] = []

        def span(m: re.Match[str]) -> tuple[int, int]:
            return starts[m.start()], _last_index(starts, m.end())

        for m in self._static_re.finditer(norm):
            first, last = span(m)
            entry = t.static[m.group(0)]
            if strict_case and not _head_capitalised(tokens, first, last):
                continue  # in running text "bộ xây dựng" is not "Bộ Xây dựng"
            if entry.canonical == "Chính phủ" and _followed_by(tokens, last, ("dien", "tu")):
                continue
            if entry.canonical == "Chính phủ" and _followed_by(tokens, last, ("so",)) and not (
                last + 2 < len(tokens) and tokens[last + 2].norm.isdigit()
            ):
                continue
            out.append(_Cand(first, last, name=entry.canonical, sets_ministry=entry.ministry))
        for m in self._party_re.finditer(norm):
            first, last = span(m)
            role = _PARTY_ROLES.get(m.group("role") or "", "")
            pc_first = starts[m.start("pc")]
            if m.group("pc") == "tu" and (tokens[pc_first].surface != "TU" or not m.group("region")):
                continue
            if m.group("region"):
                region = t.regions[m.group("region")]
                is_city = m.group("pc") in ("thanh uy", "tu")
                if is_city != (region.kind == "city"):
                    continue
                name = f"{role} {region.party_committee}".strip()
                out.append(_Cand(first, last, name=name, sets_region=region))
            elif _capitalised(tokens[pc_first]):
                pc = "thanh" if m.group("pc") == "thanh uy" else "tinh"
                out.append(_Cand(first, last, bare=f"party:{role}|{pc}", priority=-1))
        for m in self._state_re.finditer(norm):
            out.extend(self._state_cand(m, tokens, starts))
        for m in self._district_party_re.finditer(norm):
            out.extend(self._district_party_cand(m, tokens, starts))
        for m in self._dept_re.finditer(norm):
            first, last = span(m)
            if not _capitalised(tokens[first]) or not _head_capitalised(tokens, first, last):
                continue
            dept = t.departments[m.group("dept")]
            if m.group("region"):
                region = t.regions[m.group("region")]
                out.append(_Cand(first, last, name=f"Sở {dept} {region.state_suffix}", sets_region=region))
            elif m.group("lvl") and _next_capitalised(tokens, last):
                continue  # "Sở X tỉnh <unknown place>"
            elif not _next_capitalised(tokens, last):
                out.append(_Cand(first, last, bare=f"dept:{dept}", priority=-1))
        for m in self._ministry_bare_re.finditer(norm):
            first, last = span(m)
            if tokens[last].surface != "Bộ" or _next_capitalised(tokens, last):
                continue
            if m.group("pre") is None and first >= 2 and (
                (tokens[first - 2].norm, tokens[first - 1].norm) in {("van", "phong"), ("lanh", "dao")}
            ):
                continue
            pre = {"ban can su dang": "Ban cán sự đảng", "dang uy": "Đảng ủy"}.get(m.group("pre") or "", "")
            out.append(_Cand(first, last, bare=f"ministry:{pre}", priority=-1))
        return out

    def _state_cand(self, m: re.Match[str], tokens: list[_Token], starts: dict[int, int]) -> list[_Cand]:
        first, last = starts[m.start()], _last_index(starts, m.end())
        org_first = starts[m.start("org")]
        pre = _STATE_PREFIX.get(m.group("pre") or "", "")
        org = _STATE_ORGS[m.group("org")]
        if m.group("region"):
            region = self._t.regions[m.group("region")]
            name = f"{pre} {org} {region.state_suffix}".strip()
            return [_Cand(first, last, name=name, sets_region=region)]
        lvl = m.group("lvl")
        if not _capitalised(tokens[org_first]) and not tokens[org_first].surface.isupper():
            return []
        if lvl in ("quan", "huyen", "thi xa"):
            dkind = {"quan": "quan", "huyen": "huyen", "thi xa": "thi"}[lvl]
            if m.group("num"):
                if dkind != "quan":
                    return []
                district = District("quan", f"Quận {int(m.group('num'))}")
            else:
                words, last2 = _name_after(tokens, last)
                if not words:
                    return [_Cand(first, last, bare=f"dstate:{pre}|{dkind}|{org}", priority=-1)]
                district = District(dkind, words)
                last = last2
            name = f"{pre} {district.state_body(org)}".strip()  # "Ủy ban Mặt trận Tổ quốc Việt Nam Quận 3" too
            return [_Cand(first, last, name=name, sets_district=district)]
        if m.group("num"):
            return []
        if _next_capitalised(tokens, last):
            return []  # "UBND thành phố Thủ Đức": a place we do not know
        return [_Cand(first, last, bare=f"state:{pre}|{org}|{lvl}", priority=-1)]

    def _district_party_cand(
        self, m: re.Match[str], tokens: list[_Token], starts: dict[int, int]
    ) -> list[_Cand]:
        first, last = starts[m.start()], _last_index(starts, m.end())
        du_first = starts[m.start("du")]
        if not _capitalised(tokens[du_first]):
            return []  # "các quận ủy": a group, not a body
        dkind = {"quan uy": "quan", "huyen uy": "huyen", "thi uy": "thi"}[m.group("du")]
        role = _PARTY_ROLES.get(m.group("role") or "", "")
        if m.group("num"):
            if dkind != "quan":
                return []
            district = District("quan", f"Quận {int(m.group('num'))}")
        else:
            skip = 1 if (last + 1 < len(tokens) and tokens[last + 1].norm == dkind and dkind == "quan"
                         and tokens[last].glued) else 0
            words, last2 = _name_after(tokens, last + skip)
            if not words:
                return [_Cand(first, last, bare=f"dparty:{role}|{dkind}", priority=-1)]
            district = District(dkind, words)
            last = last2
        name = f"{role} {district.party_committee}".strip()
        return [_Cand(first, last, name=name, sets_district=district)]

    @staticmethod
    def _select(cands: list[_Cand], tokens: list[_Token]) -> list[_Cand]:
        chosen: list[_Cand] = []
        taken: set[int] = set()
        spans: list[tuple[int, int]] = []  # the chosen source spans, sorted and disjoint
        for cand in sorted(
            cands,
            key=lambda c: (-(c.last - c.first), -(tokens[c.last].end - tokens[c.first].start),
                           -c.priority, c.first),
        ):
            idx = set(range(cand.first, cand.last + 1))
            start, end = tokens[cand.first].start, tokens[cand.last].end
            # Expanded abbreviations share one source span: compare source spans too. Of disjoint sorted
            # spans only the last one starting before `end` can overlap [start, end).
            at = bisect_left(spans, (end, -1))
            if idx & taken or (at and spans[at - 1][1] > start):
                continue
            chosen.append(cand)
            taken |= idx
            insort(spans, (start, end))
        chosen.sort(key=lambda c: c.first)
        return chosen


_SHORT_FORMS: list[tuple[str, str]] = [
    ("Ban cán sự đảng", "BCSĐ"),
    ("Ủy ban nhân dân", "UBND"),
    ("Hội đồng nhân dân", "HĐND"),
    ("Ban Thường vụ", "BTV"),
    ("Thành phố Hồ Chí Minh", "TP.HCM"),
    ("Mặt trận Tổ quốc", "MTTQ"),
    ("Ban Chấp hành Trung ương", "BCH TW"),
    ("Trung ương", "TW"),
    ("Thành phố", "TP"),
]


def _joined(tokens: list[_Token]) -> tuple[str, dict[int, int]]:
    """Normalised tokens joined by spaces (" | " at a sentence break), and a map
    from the char offset of each token's start (and end, negated) to its index."""
    parts: list[str] = []
    starts: dict[int, int] = {}
    pos = 0
    for i, tok in enumerate(tokens):
        starts[pos] = i
        parts.append(tok.norm)
        pos += len(tok.norm)
        starts[-pos] = i
        sep = " | " if tok.hard_break else " "
        parts.append(sep)
        pos += len(sep)
    return "".join(parts), starts


def _last_index(starts: dict[int, int], end: int) -> int:
    return starts[-end]


def _capitalised(tok: _Token) -> bool:
    return tok.surface[:1].isupper()


def _next_capitalised(tokens: list[_Token], last: int) -> bool:
    """The next token is a capitalised word on the same line, glued to ``last``."""
    if last + 1 >= len(tokens) or not tokens[last].glued:
        return False
    nxt = tokens[last + 1]
    return nxt.line == tokens[last].line and nxt.surface[:1].isupper() and nxt.surface[:1].isalpha()


def _head_capitalised(tokens: list[_Token], first: int, last: int) -> bool:
    """In mixed-case text, the word after "Bộ"/"Sở" must be capitalised."""
    if tokens[first].norm not in ("bo", "so") or first == last:
        return True
    head, nxt = tokens[first], tokens[first + 1]
    if head.surface.isupper() and len(head.surface) > 1:
        return True  # an all-caps header line
    return nxt.surface[:1].isupper() or not nxt.surface[:1].isalpha()


def _followed_by(tokens: list[_Token], last: int, words: tuple[str, ...]) -> bool:
    nxt = tokens[last + 1 : last + 1 + len(words)]
    return tuple(t.norm for t in nxt) == words


_NAME_STOP = {"so", "ve", "va"}


def _name_after(tokens: list[_Token], last: int) -> tuple[str, int]:
    """Up to three capitalised words glued after token ``last`` ("Củ Chi")."""
    words: list[str] = []
    i = last
    all_caps = None
    while len(words) < 3 and _next_capitalised(tokens, i):
        tok = tokens[i + 1]
        if tok.norm in _NAME_STOP or not tok.surface.isalpha():
            break
        caps = tok.surface.isupper() and len(tok.surface) > 1
        if all_caps is None:
            all_caps = caps
        elif caps != all_caps:
            break
        words.append(tok.surface)
        i += 1
    if not words:
        return "", last
    if all_caps:
        words = [w.capitalize() for w in words]
    return " ".join(words), i
