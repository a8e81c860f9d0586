"""Recall and false alerts of name screening on a labelled variant set built from the OFAC files (issue 13).

Run from the repository root::

    .venv/bin/python benchmarks/screening_eval.py [--list 2024] [--seed 13] [--json out.json]

Positives: every listed individual, in each kind of variant the generator can make for it — ``exact`` (the listed
primary name), ``reordered`` (given names first, title case), ``typo`` (one keyboard slip: substitution with a
neighbouring key, deletion, doubling or transposition, in a token of 4+ letters), ``alias`` (a listed a.k.a.),
``transliteration`` (another common Latin spelling of an Arabic, Persian or Russian name: Mohammed/Muhammad,
Hussein/Husayn, Sergei/Sergey …), ``han`` (the name in Simplified characters, for Chinese individuals: the 12
Chinese Commercial Codes decoded with ``zhtelecode``, and other Chinese names written with common characters of
the same pinyin) and ``traditional`` (the Han name through OpenCC s2t) — each once without and once with the
listed birth date. Recall = the variant is ``review`` or ``hit`` with the right entry among its matches.

Negatives: the 50,000 synthetic persons in ``shared/data/watchlists`` (with their birth dates and nationalities);
a false alert is any ``review`` or ``hit``. Near misses: a listed surname with another listed person's given
names and a birth date 5–20 years away; they should mostly pass.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import re
import sys
import time
from collections import Counter, defaultdict
from datetime import date, timedelta
from pathlib import Path

import opencc
from pypinyin import lazy_pinyin

from jiabao.risk.lists.formats import ParsedEntry, country_code, parse_ofac, to_engine_entries
from jiabao.risk.screening.engine import ScreeningIndex, Subject

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "watchlists"
if not DATA.is_dir():
    DATA = Path("/work/shared/data/watchlists")

KEYBOARD = ["qwertyuiop", "asdfghjkl", "zxcvbnm"]
NEIGHBOURS = {
    ch: "".join(row[j] for j in (i - 1, i + 1) if 0 <= j < len(row)) for row in KEYBOARD for i, ch in enumerate(row)
}
TRANSLITERATIONS: list[tuple[str, str]] = [
    ("mohammed", "muhammad"), ("muhammad", "mohamed"), ("mohammad", "mohamed"), ("mohamed", "mohammad"),
    ("ahmed", "ahmad"), ("ahmad", "ahmed"), ("hussein", "husayn"), ("husain", "hussein"), ("hussain", "husain"),
    ("hassan", "hasan"), ("hasan", "hassan"), ("abdul", "abdel"), ("abdel", "abdul"), ("abd ", "abdul "),
    ("yusuf", "yousef"), ("yousef", "yusuf"), ("youssef", "yusuf"), ("omar", "umar"), ("umar", "omar"),
    ("osama", "usama"), ("usama", "osama"), ("mahmoud", "mahmud"), ("mahmud", "mahmoud"), ("khalid", "khaled"),
    ("khaled", "khalid"), ("said", "saeed"), ("saeed", "said"), ("rahman", "rehman"), ("ali", "aly"),
    ("hamid", "hameed"), ("mustafa", "mostafa"), ("mostafa", "mustafa"), ("jafar", "jaafar"), ("reza", "riza"),
    ("hossein", "hussein"), ("qasem", "ghasem"), ("ghasem", "qasem"), ("qasim", "kasim"), ("kh", "h"),
    ("ou", "u"), ("aleksandr", "alexander"), ("alexander", "aleksandr"), ("sergei", "sergey"),
    ("sergey", "sergei"), ("yevgeniy", "evgeny"), ("evgeniy", "yevgeny"), ("yuri", "yury"), ("yuriy", "yuri"),
    ("dmitri", "dmitry"), ("dmitriy", "dmitri"), ("andrei", "andrey"), ("andrey", "andrei"), ("aleksei", "alexey"),
    ("alexei", "aleksey"), ("nikolai", "nikolay"), ("nikolay", "nikolai"), ("vitali", "vitaly"), ("iy", "y"),
    ("ks", "x"), ("x", "ks"), ("ch", "tch"), ("ya", "ia"), ("yu", "iu"), ("zh", "j"), ("ii", "iy"), ("ei", "ey"),
    ("q", "k"), ("ee", "i"), ("oo", "u"),
]  # fmt: skip
TRANSLIT_COUNTRIES = frozenset(
    [
        "AF",
        "DZ",
        "BH",
        "EG",
        "IQ",
        "IR",
        "JO",
        "KW",
        "LB",
        "LY",
        "MA",
        "OM",
        "PK",
        "PS",
        "QA",
        "SA",
        "SD",
        "SO",
        "SY",
        "TN",
        "AE",
        "YE",
        "RU",
        "BY",
        "UA",
        "KZ",
        "KG",
        "TJ",
        "TM",
        "UZ",
        "AZ",
        "AM",
        "GE",
        "MD",
    ]
)
COMMON_HAN = (
    "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国志文斌辉鹏宇飞浩凯俊峰海波永安成林东亮新荣"
    "红梅玉兰春晓雪晨阳光德福贵祥云龙虎凤春秋冬生金银铜铁山川河江湖清泉水木森松柏青松立民忠孝仁义礼智信"
    "家庆宏伦晖彬锋坤良钢鑫旭昊天翔鸿达迪嘉琪佳欣怡思雨涵梓萱子轩浩然博文宁静远志诚恒瑞泽军海洪波国庆"
)
SURNAME_HAN = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)


def pinyin_tables() -> tuple[dict[str, str], dict[str, list[str]], set[str]]:
    surname: dict[str, str] = {}
    for ch in SURNAME_HAN:
        surname.setdefault(lazy_pinyin(ch)[0], ch)
    given: dict[str, list[str]] = defaultdict(list)
    for ch in dict.fromkeys(COMMON_HAN + SURNAME_HAN):
        given[lazy_pinyin(ch)[0]].append(ch)
    syllables = {p for ch in map(chr, range(0x4E00, 0x9FA6)) for p in lazy_pinyin(ch) if p.isalpha()}
    return surname, dict(given), syllables


def segment(token: str, syllables: set[str]) -> list[str] | None:
    """``yongan`` → ``['yong', 'an']`` (longest syllables first, with backtracking)."""
    if not token:
        return []
    for end in range(min(6, len(token)), 0, -1):
        head = token[:end]
        if head in syllables:
            rest = segment(token[end:], syllables)
            if rest is not None:
                return [head, *rest]
    return None


def split_name(name: str) -> tuple[list[str], list[str]]:
    if "," in name:
        last, first = name.split(",", 1)
        return last.split(), first.split()
    return name.split(), []


def typo(token: str, rng: random.Random) -> str:
    letters = [i for i, c in enumerate(token) if c.isalpha()]
    i = rng.choice(letters[1:] if len(letters) > 1 else letters)
    ch = token[i].lower()
    kind = rng.choice(["substitute", "delete", "double", "transpose"])
    if kind == "substitute" and NEIGHBOURS.get(ch):
        return token[:i] + rng.choice(NEIGHBOURS[ch]) + token[i + 1 :]
    if kind == "delete":
        return token[:i] + token[i + 1 :]
    if kind == "double":
        return token[:i] + token[i] + token[i:]
    if i + 1 < len(token):
        return token[:i] + token[i + 1] + token[i] + token[i + 2 :]
    return token[:i] + token[i - 1] + token[i] if i > 0 else token + token[-1]


def is_chinese(entry: ParsedEntry) -> bool:
    text = entry.remarks
    return bool({"CN", "TW", "HK", "MO"} & set(entry.nationalities)) or "China" in text or "Hong Kong" in text


def han_name(entry: ParsedEntry, tables: tuple[dict[str, str], dict[str, list[str]], set[str]], rng: random.Random,
             telecode: dict[str, str]) -> str | None:  # fmt: skip
    if entry.entry_id in telecode:
        return telecode[entry.entry_id]
    if not is_chinese(entry):
        return None
    surname_table, given_table, syllables = tables
    last, first = split_name(entry.name)
    if len(last) != 1 or not first:
        return None
    surname = surname_table.get(last[0].lower())
    if surname is None:
        return None
    given = ""
    for token in first:
        parts = segment(re.sub(r"[^a-z]", "", token.lower()), syllables)
        if not parts:
            return None
        for syllable in parts:
            options = given_table.get(syllable)
            if not options:
                return None
            given += rng.choice(options)
    return surname + given if 1 <= len(given) <= 3 else None


def telecode_names(entries: list[ParsedEntry]) -> dict[str, str]:
    try:
        import zhtelecode
    except ImportError:
        return {}
    found = {}
    for entry in entries:
        m = re.search(r"Chinese Commercial Code ((?:\d{4} ?)+)", entry.remarks)
        if m:
            codes = m.group(1).split()
            found[entry.entry_id] = zhtelecode.to_unicode(codes, encoding="mainland")
    return found


def first_full_date(entry: ParsedEntry) -> date | None:
    for value in entry.birth_dates:
        if len(value) == 10:
            return date.fromisoformat(value)
    return None


def make_variants(entries: list[ParsedEntry], seed: int) -> list[tuple[str, str, Subject]]:
    """(kind, entry id, subject) for every listed individual and every variant kind that applies to it."""
    rng = random.Random(seed)
    tables = pinyin_tables()
    telecode = telecode_names(entries)
    to_traditional = opencc.OpenCC("s2t")
    out: list[tuple[str, str, Subject]] = []
    for entry in entries:
        if entry.kind != "individual":
            continue
        last, first = split_name(entry.name)
        names: dict[str, str] = {"exact": entry.name}
        if first:
            names["reordered"] = " ".join(t.title() for t in [*first, *last])
        tokens = entry.name.replace(",", "").split()
        long_tokens = [i for i, t in enumerate(tokens) if sum(c.isalpha() for c in t) >= 4]
        if long_tokens:
            i = rng.choice(long_tokens)
            names["typo"] = " ".join([*tokens[:i], typo(tokens[i], rng), *tokens[i + 1 :]])
        if entry.aliases:
            names["alias"] = rng.choice(entry.aliases)
        nationality = set(entry.nationalities)
        if nationality & TRANSLIT_COUNTRIES or re.search(r"POB [^;]*(Iran|Iraq|Syria|Russia|Yemen|Egypt|Saudi|Leban|"
                                                          r"Afghan|Pakistan|Libya|Sudan|Jordan|Ukrain|Belarus)",
                                                          entry.remarks):  # fmt: skip
            lowered = " " + entry.name.lower().replace(",", " ") + " "
            rules = [(a, b) for a, b in TRANSLITERATIONS if a in lowered]
            if rules:
                changed = lowered
                for a, b in rng.sample(rules, min(2, len(rules))):
                    changed = changed.replace(a, b, 1)
                if changed.split() != lowered.split():
                    names["transliteration"] = " ".join(changed.split()).title()
        han = han_name(entry, tables, rng, telecode)
        if han:
            names["han"] = han
            names["traditional"] = str(to_traditional.convert(han))
        dob = first_full_date(entry)
        for kind, name in names.items():
            ref = f"{kind}:{entry.entry_id}"
            out.append((kind, entry.entry_id, Subject(ref + ":nodob", name)))
            if dob is not None:
                out.append((kind + "+dob", entry.entry_id, Subject(ref + ":dob", name, dob)))
    return out


def near_misses(entries: list[ParsedEntry], seed: int, count: int = 2000) -> list[Subject]:
    rng = random.Random(seed + 1)
    people = [e for e in entries if e.kind == "individual" and "," in e.name and first_full_date(e)]
    out = []
    for i in range(count):
        a, b = rng.sample(people, 2)
        surname = a.name.split(",")[0].strip()
        given = b.name.split(",", 1)[1].strip()
        dob = first_full_date(a)
        assert dob is not None
        shifted = dob + timedelta(days=365 * rng.randint(5, 20) * rng.choice((-1, 1)) + rng.randint(0, 300))
        out.append(Subject(f"near:{i}", f"{surname}, {given}", shifted))
    return out


def negatives() -> list[Subject]:
    out = []
    with (DATA / "synthetic_screening_negatives_global.csv").open(newline="", encoding="utf-8") as handle:
        for i, row in enumerate(csv.DictReader(handle)):
            dob = date.fromisoformat(row["date_of_birth"]) if row["date_of_birth"] else None
            out.append(Subject(f"neg:{i}", row["full_name"], dob, country_code(row["nationality"] or "")))
    return out


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--list", choices=["2021", "2024"], default="2024")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    if args.list == "2024":
        entries = parse_ofac((DATA / "ofac_2024-05-03_sdn.csv").read_bytes())
    else:
        entries = parse_ofac(*(DATA.joinpath(f"ofac_2021-04_{k}.csv").read_bytes() for k in ("sdn", "alt", "add")))
    started = time.perf_counter()
    index = ScreeningIndex(to_engine_entries("ofac", entries))
    print(f"index: {len(index)} entries, {len(index.name_text)} names in {time.perf_counter() - started:.1f} s")
    variants = make_variants(entries, args.seed)
    started = time.perf_counter()
    results = index.screen([s for _, _, s in variants])
    elapsed = time.perf_counter() - started
    found: Counter[str] = Counter()
    total: Counter[str] = Counter()
    best_right: Counter[str] = Counter()
    missed: dict[str, list[str]] = defaultdict(list)
    for (kind, entry_id, subject), result in zip(variants, results, strict=True):
        base = kind.split("+")[0]
        if kind == base:
            kind = base + "+nodob"
        total[base] += 1
        total[kind] += 1
        ok = result.decision != "pass" and any(m.entry_id == entry_id for m in result.matches)
        if ok:
            found[base] += 1
            found[kind] += 1
            if result.matches[0].entry_id == entry_id:
                best_right[base] += 1
        elif len(missed[base]) < 8:
            missed[base].append(f"{subject.name} (entry {entry_id})")
    negs = negatives()
    started = time.perf_counter()
    neg_results = index.screen(negs)
    neg_elapsed = time.perf_counter() - started
    alerts = Counter(r.decision for r in neg_results)
    near = index.screen(near_misses(entries, args.seed))
    near_counts = Counter(r.decision for r in near)
    overall_found = sum(found[k] for k in total if "+" not in k)
    overall_total = sum(total[k] for k in total if "+" not in k)
    figures = {
        "list": args.list,
        "variants": overall_total,
        "recall_overall": round(overall_found / overall_total, 4),
        "by_kind": {
            k: {
                "n": total[k],
                "recall": round(found[k] / total[k], 4),
                "best_is_right": round(best_right[k] / total[k], 4) if "+" not in k else None,
            }
            for k in sorted(total)
        },
        "negatives": len(negs),
        "false_alert_rate": round((alerts["review"] + alerts["hit"]) / len(negs), 5),
        "negative_decisions": dict(alerts),
        "near_miss_pass_rate": round(near_counts["pass"] / len(near), 4),
        "near_miss_decisions": dict(near_counts),
        "seconds_variants": round(elapsed, 2),
        "seconds_negatives": round(neg_elapsed, 2),
    }
    print(f"variants: {overall_total}, recall {figures['recall_overall']:.4f} ({elapsed:.1f} s)")
    print(f"{'kind':<22}{'n':>7}{'recall':>9}{'best=right':>12}")
    for kind, row in figures["by_kind"].items():  # type: ignore[union-attr]
        best = f"{row['best_is_right']:.4f}" if row["best_is_right"] is not None else ""
        print(f"{kind:<22}{row['n']:>7}{row['recall']:>9.4f}{best:>12}")
    print(
        f"negatives: {len(negs)}, false alerts {figures['false_alert_rate']:.5f} {dict(alerts)} ({neg_elapsed:.1f} s)"
    )
    print(f"near misses: pass rate {figures['near_miss_pass_rate']:.4f} {dict(near_counts)}")
    for kind, names in missed.items():
        print(f"missed {kind}: " + "; ".join(names))
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
