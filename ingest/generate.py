"""Synthetic national data set in the structured ingest format, with its ground truth.

``generate(out_dir, ...)`` writes JSON files that ``ingest.loader.ingest_path`` accepts
into ``out_dir/data/`` (ingest them in name order, e.g. ``kg ingest OUT/data``):

* ``00-central.json``  - the source, central Party bodies, the Government, a few
  ministries with their Party delegations and units;
* ``01-provinces.json`` - per province the Party committee (Tỉnh ủy / Thành ủy,
  PART_OF the Central Committee), the People's Committee and its Party delegation
  (PART_OF the provincial Party committee), and per commune the Đảng ủy xã (PART_OF
  the provincial Party committee) and UBND xã (PART_OF UBND tỉnh), with yearly
  REPORTS_TO lines;
* ``10-resolution-NNN.json`` - one Politburo resolution, its guidance, the ministries'
  plans, every province's programme (ASSIGNS with due dates to its units) and the plans
  of the units that implemented it;
* ``out_dir/ground_truth.json`` - per resolution: its uid, ``as_of`` and, per scope (each
  provincial Party committee and the national root), the status that the ``coverage``
  query must return for every unit, and the covered units that were ``late`` (their plan
  issued after their task's due date).

Units of a province (its People's Committee's Party delegation and its communes' Party
committees) are, per resolution, ``covered`` (assigned, plan issued before ``as_of``),
``overdue`` (assigned, due before ``as_of``, nothing issued), ``expected`` (assigned,
due after ``as_of``) or ``missing`` (no assignment, no plan). A ``coverage`` fraction of
them is covered; the rest cycle through overdue, missing, expected. Deterministic for
a seed: the same arguments give byte-identical files.
"""

from __future__ import annotations

import json
import random
import unicodedata
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from graph.codes import parse_code
from ingest.writer import document_uid

ROOT = "ban-chap-hanh-trung-uong"
SOURCE = "synthetic"
START = date(2025, 8, 1)
AS_OF_DAYS = 365

PROVINCES = [
    "Hà Nội", "Huế", "Lai Châu", "Điện Biên", "Sơn La", "Lạng Sơn", "Quảng Ninh", "Thanh Hóa",
    "Nghệ An", "Hà Tĩnh", "Cao Bằng", "Tuyên Quang", "Lào Cai", "Thái Nguyên", "Phú Thọ",
    "Bắc Ninh", "Hưng Yên", "Hải Phòng", "Ninh Bình", "Quảng Trị", "Đà Nẵng", "Quảng Ngãi",
    "Gia Lai", "Khánh Hòa", "Lâm Đồng", "Đắk Lắk", "Hồ Chí Minh", "Đồng Nai", "Tây Ninh",
    "Cần Thơ", "Vĩnh Long", "Đồng Tháp", "Cà Mau", "An Giang",
]
CITIES = {"Hà Nội", "Huế", "Hải Phòng", "Đà Nẵng", "Hồ Chí Minh", "Cần Thơ"}
MINISTRIES = [
    ("bo-cong-thuong", "Bộ Công Thương", ["Vụ Pháp chế", "Vụ Khoa học và Công nghệ", "Văn phòng Bộ"]),
    ("bo-khoa-hoc-va-cong-nghe", "Bộ Khoa học và Công nghệ",
     ["Vụ Kế hoạch - Tài chính", "Cục Chuyển đổi số quốc gia", "Văn phòng Bộ"]),
    ("bo-tai-chinh", "Bộ Tài chính", ["Vụ Ngân sách nhà nước", "Vụ Pháp chế", "Văn phòng Bộ"]),
    ("bo-noi-vu", "Bộ Nội vụ", ["Vụ Tổ chức - Biên chế", "Vụ Chính quyền địa phương", "Văn phòng Bộ"]),
]
FIRST = ["Tân", "Phú", "An", "Bình", "Hòa", "Long", "Thạnh", "Phước", "Đông", "Tây", "Nam", "Bắc",
         "Hưng", "Quảng", "Vĩnh", "Xuân", "Đức", "Minh", "Thuận", "Hiệp"]
SECOND = ["Lộc", "Phú", "Hưng", "Thành", "Lợi", "Điền", "Sơn", "Hải", "Yên", "Mỹ", "Trung", "Thịnh",
          "Khánh", "Hòa", "An", "Bình", "Tiến", "Đạt", "Phong", "Xương"]
TOPICS = [
    "chủ động tham gia cuộc Cách mạng công nghiệp lần thứ tư",
    "đột phá phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số quốc gia",
    "phát triển kinh tế tư nhân",
    "hội nhập quốc tế trong tình hình mới",
    "đổi mới công tác xây dựng và thi hành pháp luật",
    "bảo đảm an ninh năng lượng quốc gia",
    "đột phá phát triển giáo dục và đào tạo",
    "tăng cường bảo vệ, chăm sóc và nâng cao sức khỏe Nhân dân",
]
STATUSES = ("covered", "overdue", "expected", "missing")


@dataclass(slots=True)
class ResolutionTruth:
    uid: str
    code: str
    as_of: str
    scopes: dict[str, dict[str, str]]  # scope uid -> unit uid -> status
    deepest: str | None = None  # a document at the bottom of the chain (for lineage_up)
    late: list[str] = field(default_factory=list)  # covered units whose plan came after its due date


@dataclass(slots=True)
class GroundTruth:
    seed: int
    provinces: list[str]  # provincial Party committee uids (the scopes besides ROOT)
    root: str = ROOT
    resolutions: list[ResolutionTruth] = field(default_factory=list)
    files: list[str] = field(default_factory=list)  # relative to out_dir, in ingest order
    institutions: int = 0
    documents: int = 0

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def _nfc(value: Any) -> Any:
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if isinstance(value, list):
        return [_nfc(v) for v in value]
    if isinstance(value, dict):
        return {k: _nfc(v) for k, v in value.items()}
    return value


def _write(path: Path, data: dict[str, Any]) -> None:
    path.write_bytes(json.dumps(_nfc(data), ensure_ascii=False, separators=(",", ":")).encode() + b"\n")


def _vi_date(d: date) -> str:
    return f"trước ngày {d.day}/{d.month}/{d.year}"


class _Numbers:
    """Per-issuer document numbers: never reused by one issuer, so that (code, issuer)
    alone already identifies a document (the loader treats a repeated code of one issuer
    with another year as the same, misdated document)."""

    def __init__(self) -> None:
        self.next: dict[str, int] = {}

    def __call__(self, issuer: str, start: int = 1) -> int:
        n = self.next.get(issuer, start)
        self.next[issuer] = n + 1
        return n


class _Docs:
    """Appends document records; the uid is derived exactly as the loader derives it."""

    def __init__(self, docs: list[dict[str, Any]]) -> None:
        self.docs = docs

    def __call__(self, issuer: str, code: str, issued: date, **extra: Any) -> str:
        uid = document_uid(parse_code(code), issuer, issued.year)
        self.docs.append({"id": uid, "code": code, "issuer": issuer, "issued_on": issued.isoformat(), **extra})
        return uid


def _slug_ascii(name: str) -> str:
    from graph.text import slug

    return slug(name)


def generate(out_dir: str | Path, provinces: int = 34, communes_per_province: int = 10,
             resolutions: int = 5, coverage: float = 0.8, seed: int = 0) -> GroundTruth:
    if provinces < 1 or communes_per_province < 0 or resolutions < 1:
        raise ValueError("need at least one province and one resolution")
    if not 0.0 <= coverage <= 1.0:
        raise ValueError("coverage is a fraction between 0 and 1")
    out = Path(out_dir)
    data = out / "data"
    _clear_earlier_run(out, data)
    data.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    numbers = _Numbers()
    files: list[str] = []

    # -- central bodies ------------------------------------------------------
    central: list[dict[str, Any]] = [
        {"id": ROOT, "name": "Ban Chấp hành Trung ương Đảng", "short_name": "BCHTW",
         "aliases": ["Ban Chấp hành Trung ương"], "kind": "party_committee", "level": "central"},
        {"id": "bo-chinh-tri", "name": "Bộ Chính trị", "short_name": "BCT", "kind": "party_committee",
         "level": "central", "part_of": ROOT},
        {"id": "ban-tuyen-giao-va-dan-van-trung-uong", "name": "Ban Tuyên giáo và Dân vận Trung ương",
         "short_name": "BTGDVTW", "kind": "party_department", "level": "central", "part_of": ROOT,
         "valid_from": "2025-03-01"},
        {"id": "chinh-phu", "name": "Chính phủ", "short_name": "CP", "kind": "government",
         "level": "central"},
    ]
    ministry_units: dict[str, list[str]] = {}
    for mid, mname, units in MINISTRIES:
        central.append({"id": mid, "name": mname, "kind": "ministry", "level": "central",
                        "part_of": "chinh-phu"})
        central.append({"id": f"ban-can-su-dang-{mid}", "name": f"Ban cán sự đảng {mname}",
                        "short_name": f"BCSĐ {mname}", "kind": "party_delegation", "level": "central",
                        "part_of": mid, "reports_to": [{"to": "bo-chinh-tri", "cadence": "yearly"}]})
        ministry_units[mid] = []
        for unit in units:
            uid = f"{mid}-{_slug_ascii(unit)}"
            ministry_units[mid].append(uid)
            central.append({"id": uid, "name": f"{unit} ({mname})", "kind": "ministry_unit",
                            "level": "central", "part_of": mid})
    sources = [{"id": SOURCE, "title": "Synthetic national data set (ingest.generate)",
                "kind": "synthetic", "illustrative": True, "note": f"seed {seed}"}]
    _write(data / "00-central.json", {"source": SOURCE, "sources": sources, "institutions": central})
    files.append("data/00-central.json")

    # -- provinces and communes ----------------------------------------------
    local: list[dict[str, Any]] = []
    province_units: list[tuple[str, str, str, list[tuple[str, str]]]] = []
    for p in range(provinces):
        base = PROVINCES[p % len(PROVINCES)]
        pname = base if p < len(PROVINCES) else f"{base} {p // len(PROVINCES) + 1}"
        city = base in CITIES
        pslug = _slug_ascii(pname)
        level_word, committee = ("thành phố", "Thành ủy") if city else ("tỉnh", "Tỉnh ủy")
        tu, ub, bcsd = f"tinh-uy-{pslug}", f"ubnd-tinh-{pslug}", f"bcsd-ubnd-tinh-{pslug}"
        local += [
            {"id": tu, "name": f"{committee} {pname}", "short_name": f"TU {pname}",
             "kind": "party_committee", "level": "provincial", "part_of": ROOT, "valid_from": "2025-07-01",
             "reports_to": [{"to": "bo-chinh-tri", "cadence": "yearly"}]},
            {"id": ub, "name": f"Ủy ban nhân dân {level_word} {pname}", "aliases": [f"UBND {level_word} {pname}"],
             "kind": "people_committee", "level": "provincial", "valid_from": "2025-07-01",
             "reports_to": [{"to": "chinh-phu", "cadence": "yearly"}]},
            {"id": bcsd, "name": f"Ban cán sự đảng UBND {level_word} {pname}", "kind": "party_delegation",
             "level": "provincial", "part_of": tu, "valid_from": "2025-07-01",
             "reports_to": [{"to": tu, "cadence": "yearly"}]},
        ]
        communes: list[tuple[str, str]] = []
        used: set[str] = set()
        for c in range(communes_per_province):
            cname = f"{rng.choice(FIRST)} {rng.choice(SECOND)}"
            while cname in used:
                cname = f"{cname} {len(used) % 9 + 2}"
            used.add(cname)
            kind_word = "phường" if city and c % 2 == 0 else "xã"
            du, ubx = f"dang-uy-{pslug}-{c + 1:04d}", f"ubnd-{pslug}-{c + 1:04d}"
            local += [
                {"id": du, "name": f"Đảng ủy {kind_word} {cname} ({pname})", "kind": "party_committee",
                 "level": "commune", "part_of": tu, "valid_from": "2025-07-01",
                 "reports_to": [{"to": tu, "cadence": "yearly"}]},
                {"id": ubx, "name": f"UBND {kind_word} {cname} ({pname})", "kind": "people_committee",
                 "level": "commune", "part_of": ub, "valid_from": "2025-07-01",
                 "reports_to": [{"to": ub, "cadence": "yearly"}]},
            ]
            communes.append((du, ubx))
        province_units.append((tu, ub, bcsd, communes))
    _write(data / "01-provinces.json", {"source": SOURCE, "sources": sources, "institutions": local})
    files.append("data/01-provinces.json")

    # -- resolutions -----------------------------------------------------------
    truth = GroundTruth(seed=seed, provinces=[p[0] for p in province_units], files=files,
                        institutions=len(central) + len(local))
    n_docs = 0
    for r in range(resolutions):
        docs: list[dict[str, Any]] = []
        doc = _Docs(docs)
        topic = TOPICS[r % len(TOPICS)]
        issued = START + timedelta(days=3 * r)
        as_of = issued + timedelta(days=AS_OF_DAYS)
        res = doc("bo-chinh-tri", f"{numbers('bo-chinh-tri', 57)}-NQ/TW", issued,
                  title=f"Nghị quyết của Bộ Chính trị về {topic} (số {r + 1})")
        doc("ban-tuyen-giao-va-dan-van-trung-uong",
            f"{numbers('ban-tuyen-giao-va-dan-van-trung-uong', 100)}-HD/BTGDVTW",
            issued + timedelta(days=rng.randint(10, 40)), guides=[res],
            title=f"Hướng dẫn học tập, quán triệt và triển khai thực hiện Nghị quyết về {topic}")
        for mid, mname, _ in MINISTRIES:
            issuer = f"ban-can-su-dang-{mid}"
            plan_on = issued + timedelta(days=rng.randint(30, 90))
            tasks = [{"to": unit, "task": f"Chủ trì nhóm nhiệm vụ {i + 1}", "deadline": _vi_date(due),
                      "due": due.isoformat()}
                     for i, unit in enumerate(ministry_units[mid])
                     for due in [plan_on + timedelta(days=rng.randint(60, 300))]]
            doc(issuer, f"{numbers(issuer, 10)}-KH/BCSĐ", plan_on, implements=[res], assigns=tasks,
                title=f"Kế hoạch của Ban cán sự đảng {mname} thực hiện Nghị quyết về {topic}")

        units = [(bcsd, None) for _, _, bcsd, _ in province_units] + \
            [(du, ubx) for *_, communes in province_units for du, ubx in communes]
        n_other = round((1 - coverage) * len(units))
        others = rng.sample(range(len(units)), n_other)
        status_of = {units[i][0]: ("overdue", "missing", "expected")[k % 3] for k, i in enumerate(others)}
        scopes: dict[str, dict[str, str]] = {ROOT: {ROOT: "missing", "bo-chinh-tri": "missing",
                                                    "ban-tuyen-giao-va-dan-van-trung-uong": "missing"}}
        deepest: str | None = None
        late: list[str] = []
        for tu, _, bcsd, communes in province_units:
            prog_on = issued + timedelta(days=rng.randint(20, 90))
            assigns: list[dict[str, Any]] = []
            plans: list[tuple[str, str | None, date]] = []
            scope = {tu: "covered"}
            for unit, ubx in [(bcsd, None), *communes]:
                status = status_of.get(unit, "covered")
                scope[unit] = status
                if status == "missing":
                    continue
                if status == "expected":
                    due = as_of + timedelta(days=rng.randint(1, 180))
                else:
                    due = prog_on + timedelta(days=rng.randint(30, (as_of - prog_on).days - 1))
                what = "Kế hoạch thực hiện" if unit == bcsd else "Kế hoạch triển khai thực hiện"
                assigns.append({"to": unit, "task": f"Xây dựng {what.lower()} Chương trình hành động",
                                "deadline": _vi_date(due), "due": due.isoformat()})
                if status == "covered":
                    plans.append((unit, ubx, prog_on + timedelta(days=rng.randint(5, (as_of - prog_on).days))))
                    if plans[-1][2] > due:
                        late.append(unit)
            prog = doc(tu, f"{numbers(tu)}-CTr/TU", prog_on, implements=[res], assigns=assigns,
                       title=f"Chương trình hành động thực hiện Nghị quyết về {topic}")
            for unit, ubx, plan_on in plans:
                code = f"{numbers(unit)}-KH/BCSĐ" if ubx is None else f"{numbers(unit)}-KH/ĐU"
                plan = doc(unit, code, plan_on, implements=[prog],
                           title=f"Kế hoạch thực hiện Chương trình hành động về {topic}")
                if ubx is not None:
                    ub_on = min(plan_on + timedelta(days=rng.randint(1, 30)), as_of)
                    deepest = doc(ubx, f"{numbers(ubx)}/KH-UBND", ub_on, implements=[plan],
                                  title=f"Kế hoạch của UBND triển khai thực hiện về {topic}")
            scopes[tu] = scope
            scopes[ROOT].update(scope)
        name = f"10-resolution-{r + 1:03d}.json"
        _write(data / name, {"source": SOURCE, "sources": sources, "documents": docs})
        files.append(f"data/{name}")
        n_docs += len(docs)
        truth.resolutions.append(ResolutionTruth(uid=res, code=docs[0]["code"], as_of=as_of.isoformat(),
                                                 scopes=scopes, deepest=deepest, late=sorted(late)))
    truth.documents = n_docs
    (out / "ground_truth.json").write_bytes(
        json.dumps(truth.to_json(), ensure_ascii=False, indent=1).encode() + b"\n")
    return truth


def _clear_earlier_run(out: Path, data: Path) -> None:
    """Remove the data files an earlier run into ``out`` wrote (its ground truth lists them), and refuse
    a data folder holding any other: `kg ingest OUT/data` would read it with this run's files (an
    earlier run of more resolutions left files that failed, or silently changed, the ingest)."""
    try:
        earlier = json.loads((out / "ground_truth.json").read_text(encoding="utf-8")).get("files", [])
    except (OSError, ValueError, AttributeError):
        earlier = []
    for name in earlier:
        if isinstance(name, str) and name.startswith("data/") and "/" not in name[5:] and name.endswith(".json"):
            (out / name).unlink(missing_ok=True)
    others = sorted(p.name for p in data.iterdir()) if data.is_dir() else []
    if others:
        raise ValueError(f"{data} holds files no earlier run listed ({', '.join(others[:5])}"
                         f"{', ...' if len(others) > 5 else ''}): kg ingest {data} would read them too; "
                         "empty it or choose another --out")


def load_ground_truth(path: str | Path) -> dict[str, Any]:
    return json.loads(Path(path).read_text(encoding="utf-8"))
