"""Name normalisation for screening (pure): any script in, comparable Latin token forms out.

A name becomes one or more *forms* (tuples of lower-case ASCII tokens). Han names (Simplified or Traditional)
give a Hanyu Pinyin form with the surname readings that differ from ordinary pinyin (曾 Zeng, 单 Shan …), a
Wade-Giles form and a Cantonese (Hong Kong) form; other scripts are transliterated (Arabic, Persian, Cyrillic,
Greek, Devanagari … through ``anyascii``). Matching then compares tokens, so the order of the tokens does not
matter. ``skeleton`` folds the usual transliteration variants of Arabic, Persian and Russian names
(Mohammed/Muhammad, Yusuf/Yousef, Aleksandr/Alexander) into one spelling.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import opencc
from anyascii import anyascii
from pypinyin import lazy_pinyin
from pypinyin.style.wadegiles import to_wade_glides
from ToJyutping import get_jyutping_list

Form = tuple[str, ...]

_T2S = opencc.OpenCC("t2s")

# Surnames whose reading as a surname differs from the character's ordinary pinyin (姓氏多音字).
SURNAME_PINYIN: dict[str, str] = {
    "曾": "zeng", "单": "shan", "区": "ou", "仇": "qiu", "解": "xie", "查": "zha", "朴": "piao", "盖": "ge",
    "尉": "yu", "乐": "yue", "召": "shao", "缪": "miao", "秘": "bi", "种": "chong", "翟": "zhai", "葛": "ge",
    "阚": "kan", "华": "hua", "覃": "qin", "长孙": "zhangsun", "尉迟": "yuchi", "万俟": "moqi", "单于": "chanyu",
    "重": "chong", "能": "nai", "句": "gou", "纪": "ji", "任": "ren", "沈": "shen", "折": "she", "繁": "po",
    "员": "yun", "祭": "zhai", "薄": "bo", "柏": "bai", "藏": "zang", "隗": "wei", "过": "guo",
}  # fmt: skip

# Compound surnames (复姓), taken as one surname token.
COMPOUND_SURNAMES = frozenset(
    [
        "欧阳",
        "司马",
        "上官",
        "诸葛",
        "东方",
        "皇甫",
        "尉迟",
        "公孙",
        "长孙",
        "慕容",
        "司徒",
        "夏侯",
        "轩辕",
        "令狐",
        "宇文",
        "万俟",
        "单于",
        "端木",
        "西门",
        "南宫",
        "独孤",
        "呼延",
        "百里",
        "东郭",
        "闻人",
        "赫连",
        "澹台",
        "公冶",
        "宗政",
        "濮阳",
        "太叔",
        "申屠",
        "钟离",
        "第五",
        "公羊",
        "拓跋",
        "司空",
        "左丘",
        "东门",
        "梁丘",
        "羊舌",
    ]
)

# Hong Kong (Cantonese) spellings of common surnames, where they differ from a plain Jyutping rendering.
CANTONESE_SURNAMES: dict[str, str] = {
    "陈": "chan", "黄": "wong", "王": "wong", "李": "lee", "张": "cheung", "刘": "lau", "吴": "ng", "何": "ho",
    "梁": "leung", "周": "chow", "曾": "tsang", "叶": "yip", "邓": "tang", "林": "lam", "郭": "kwok", "罗": "law",
    "冯": "fung", "区": "au", "欧": "au", "谢": "tse", "蔡": "choi", "郑": "cheng", "杨": "yeung", "朱": "chu",
    "徐": "tsui", "许": "hui", "胡": "wu", "孙": "suen", "马": "ma", "余": "yu", "潘": "poon", "萧": "siu",
    "卢": "lo", "麦": "mak", "黎": "lai", "苏": "so", "廖": "liu", "莫": "mok", "钟": "chung", "袁": "yuen",
    "谭": "tam", "江": "kong", "姚": "yiu", "温": "wan", "方": "fong", "石": "shek", "韩": "hon", "高": "ko",
    "关": "kwan", "赵": "chiu", "伍": "ng", "邝": "kwong", "侯": "hau", "唐": "tong", "雷": "lui", "龙": "lung",
    "甘": "kam", "严": "yim", "司徒": "szeto", "欧阳": "auyeung", "上官": "sheungkoon", "诸葛": "chukot",
    "单": "sin", "解": "hai", "仇": "kau", "查": "cha",
}  # fmt: skip

# Particles dropped before comparison (they are spelt, joined and omitted inconsistently across lists).
PARTICLES = frozenset(
    [
        "al",
        "el",
        "ad",
        "ud",
        "ul",
        "as",
        "ash",
        "at",
        "az",
        "bin",
        "ibn",
        "bint",
        "binti",
        "ben",
        "de",
        "del",
        "della",
        "der",
        "di",
        "da",
        "dos",
        "das",
        "du",
        "la",
        "le",
        "van",
        "von",
        "y",
    ]
)

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff]")
_ARABIC = re.compile(r"[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]")
_NON_ALNUM = re.compile(r"[^a-z0-9 ]+")
_SPACES = re.compile(r"\s+")


def has_han(text: str) -> bool:
    return _HAN.search(text) is not None


def is_abjad(text: str) -> bool:
    """Arabic-script text: short vowels are not written, so comparisons use consonant skeletons."""
    return _ARABIC.search(text) is not None


def to_simplified(text: str) -> str:
    """Traditional → Simplified Chinese (OpenCC ``t2s``)."""
    return str(_T2S.convert(text))


def split_han_name(name: str) -> tuple[str, str]:
    """A native-order Han name (no space) → (surname, given name); compound surnames are kept whole."""
    if len(name) >= 3 and name[:2] in COMPOUND_SURNAMES:
        return name[:2], name[2:]
    return name[:1], name[1:]


@lru_cache(maxsize=65536)
def _pinyin(chars: str) -> str:
    return "".join(p.replace("v", "u") for p in lazy_pinyin(chars, errors="ignore") if p.isascii())


@lru_cache(maxsize=65536)
def surname_pinyin(surname: str) -> str:
    special = SURNAME_PINYIN.get(surname)
    if special is not None:
        return special
    return "".join(SURNAME_PINYIN.get(ch) or _pinyin(ch) for ch in surname)


@lru_cache(maxsize=4096)
def _wade_giles_syllable(syllable: str) -> str:
    return _latin(to_wade_glides(syllable.replace("v", "ü"))).replace("v", "u")


def _wade_giles(syllables: list[str]) -> str:
    return "".join(_wade_giles_syllable(s) for s in syllables if s)


@lru_cache(maxsize=65536)
def _syllables(chars: str) -> tuple[str, ...]:
    return tuple(p.replace("v", "u") for p in lazy_pinyin(chars, errors="ignore") if p.isascii())


# Jyutping → Hong Kong government romanisation, by initial and final (the spelling found on HK identity cards).
_JP_INITIALS = {
    "b": "p", "p": "p", "m": "m", "f": "f", "d": "t", "t": "t", "n": "n", "l": "l", "g": "k", "k": "k",
    "ng": "ng", "h": "h", "gw": "kw", "kw": "kw", "w": "w", "z": "ch", "c": "ch", "s": "s", "j": "y", "": "",
}  # fmt: skip
_JP_FINALS = {
    "aa": "a", "aai": "ai", "aau": "au", "aam": "am", "aan": "an", "aang": "ang", "aap": "ap", "aat": "at",
    "aak": "ak", "ai": "ai", "au": "au", "am": "am", "an": "an", "ang": "ang", "ap": "ap", "at": "at", "ak": "ak",
    "e": "e", "ei": "ei", "eng": "eng", "ek": "ek", "i": "i", "iu": "iu", "im": "im", "in": "in", "ing": "ing",
    "ip": "ip", "it": "it", "ik": "ik", "o": "o", "oi": "oi", "ou": "o", "on": "on", "ong": "ong", "ot": "ot",
    "ok": "ok", "u": "u", "ui": "ui", "un": "un", "ung": "ung", "ut": "ut", "uk": "uk", "oe": "oe", "oeng": "eung",
    "oek": "euk", "eoi": "ui", "eon": "un", "eot": "ut", "yu": "yu", "yun": "uen", "yut": "uet", "m": "m", "ng": "ng",
}  # fmt: skip
_JP_SPLIT = re.compile(r"^(gw|kw|ng|[bpmfdtnlgkhwzcsj]?)([a-z]+?)[1-6]$")


def _jyutping_to_hk(jp: str) -> str:
    match = _JP_SPLIT.match(jp)
    if match is None:
        return ""
    initial, final = match.groups()
    if initial == "j" and final.startswith("yu"):
        initial = ""
    if initial in ("z", "c", "s") and final == "i":
        return "sze" if initial == "s" else "chi"
    return _JP_INITIALS.get(initial, initial) + _JP_FINALS.get(final, final)


@lru_cache(maxsize=16384)
def _cantonese_char(char: str) -> str:
    readings = get_jyutping_list(char)
    jp = readings[0][1] if readings else None
    return _jyutping_to_hk(jp.split()[0]) if jp else ""


def _cantonese(chars: str) -> str:
    return "".join(_cantonese_char(ch) for ch in chars)


def han_forms(name: str) -> list[Form]:
    """Forms of a Han-script name: Hanyu Pinyin (surname readings), Wade-Giles and Cantonese (HK)."""
    simplified = to_simplified(unicodedata.normalize("NFKC", name)).strip()
    parts = [p for p in re.split(r"[\s·•・.,，]+", simplified) if p]
    if not parts:
        return []
    if len(parts) == 1:
        surname, given = split_han_name(parts[0])
        pieces: list[tuple[str, bool]] = [(surname, True), (given, False)]
    else:
        # Written with a space (often Western order: given name first): a part that is a known surname, or
        # else the shorter one, takes the surname reading.
        pieces = [(p, len(p) <= 2 and (p in SURNAME_PINYIN or p in COMPOUND_SURNAMES or p in CANTONESE_SURNAMES))
                  for p in parts]  # fmt: skip
    pinyin_form, wg_form, yue_form = [], [], []
    for chars, is_surname in pieces:
        if not chars:
            continue
        if not has_han(chars):
            token = _latin(chars)
            pinyin_form.append(token)
            wg_form.append(token)
            yue_form.append(token)
            continue
        if is_surname:
            py = surname_pinyin(chars)
            syllables = [SURNAME_PINYIN.get(ch) or _pinyin(ch) for ch in chars] if len(chars) > 1 else [py]
            yue = CANTONESE_SURNAMES.get(chars) or _cantonese(chars)
        else:
            syllables = list(_syllables(chars))
            py = "".join(syllables)
            yue = _cantonese(chars)
        pinyin_form.append(py)
        wg_form.append(_wade_giles(syllables))
        yue_form.append(yue)
    forms: list[Form] = []
    for form in (pinyin_form, wg_form, yue_form):
        tokens = tuple(t for t in form if t)
        if tokens and tokens not in forms:
            forms.append(tokens)
    return forms


def _latin(text: str) -> str:
    return _NON_ALNUM.sub("", anyascii(text).lower())


def latin_tokens(name: str) -> Form:
    """Tokens of a name in a non-Han script: transliterated, lower-case, punctuation removed, particles dropped.

    Hyphenated parts are joined (``Yong-an`` → ``yongan``, ``AL-BAGHDADI`` → ``baghdadi``)."""
    text = anyascii(unicodedata.normalize("NFKC", name)).lower().replace(",", " ")
    tokens: list[str] = []
    for raw in _SPACES.split(text):
        parts = [_NON_ALNUM.sub("", p) for p in raw.split("-")]
        parts = [p for p in parts if p]
        kept = [p for p in parts if p not in PARTICLES] or parts
        token = "".join(kept)
        if token:
            tokens.extend(token.split() if token in _ABDULLAH else _ABD.sub(r"abd \1", token).split())
    words = [t for t in tokens if t not in PARTICLES]
    # Particles go unless they are needed to keep two words ("XU, Bin" is a Chinese name, not "son of").
    return tuple(words if len(words) >= 2 else tokens)


_ABDULLAH = frozenset({"abdullah", "abdallah", "abdulla", "abdula", "abdulah", "abdalla"})
_ABD = re.compile(r"^ab(?:d|dul|del|dal|doul|dol|dil)(?:$|(?<=l)(?!l?ah?$)(?=[a-z]{3,})(.*))")


def list_name_forms(name: str) -> list[Form]:
    """Forms of a listed name: those of ``name_forms``, and for ``SURNAME, Given Names`` written in short syllables
    (``MAO, Yu Hua``, ``CHEUNG, Kwok Wing``) also the given name joined, as Han names are romanised."""
    forms = name_forms(name)
    if "," in name and forms and not has_han(name):
        surname, given = name.split(",", 1)
        given_tokens = latin_tokens(given)
        surname_tokens = latin_tokens(surname)
        if 2 <= len(given_tokens) <= 3 and len(surname_tokens) <= 2 and all(len(t) <= 5 for t in given_tokens):
            joined = (*surname_tokens, "".join(given_tokens))
            if joined not in forms:
                forms.append(joined)
    return forms


def name_forms(name: str) -> list[Form]:
    """Every comparable form of a name (see the module docstring). Empty for a name with no letters."""
    if has_han(name):
        return han_forms(name)
    tokens = latin_tokens(name)
    return [tokens] if tokens else []


_SKELETON_RULES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), repl)
    for pattern, repl in (
        ("tsch|tch", "ch"), ("sch", "sh"), ("dzh|zh|dj", "j"), ("ph", "f"), ("kh", "h"), ("gh", "g"),
        ("dh", "d"), ("th", "t"), ("ck|q", "k"), ("x", "ks"), ("ou|oo", "u"), ("ee", "i"), ("w", "v"),
        ("y", "i"), ("ts", "ch"), ("c(?!h)", "k"),
    )
)  # fmt: skip
_VOWEL_FOLD = str.maketrans({"e": "a", "o": "u"})
_DOUBLE = re.compile(r"(.)\1+")


@lru_cache(maxsize=262144)
def skeleton(token: str) -> str:
    """A spelling-variant-insensitive key: digraphs folded, e→a, o→u, y→i, w→v, doubled letters single."""
    s = token
    for pattern, repl in _SKELETON_RULES:
        s = pattern.sub(repl, s)
    s = s.translate(_VOWEL_FOLD)
    return _DOUBLE.sub(r"\1", s)


_CONSONANTS_DROP = str.maketrans("", "", "aeiouyvw")


@lru_cache(maxsize=262144)
def consonants(token: str) -> str:
    """Consonant skeleton, for names written in Arabic script (short vowels unwritten; و/ي as w/y or vowels)."""
    return skeleton(token).translate(_CONSONANTS_DROP)


def deletion_keys(key: str) -> set[str]:
    """The key and its one-deletion neighbours (for keys of 4+ letters): two keys within one edit share one."""
    if len(key) < 4:
        return {key}
    return {key} | {key[:i] + key[i + 1 :] for i in range(len(key))}
