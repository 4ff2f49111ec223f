"""Chinese numerals, both ways.

Gazettes print numbers in Chinese as often as in Arabic digits: issue numbers
(第三期), dates in signatures (二〇一八年八月一日), heading ordinals (十一、).
The parser and the checks need the integer behind them, and the checks need
to print ordinals back, so both directions live here, stdlib only.
"""

from __future__ import annotations

import unicodedata

__all__ = ["CN_DIGITS", "cn_to_int", "int_to_cn"]

#: Every character that can appear in a Chinese numeral this module reads.
CN_DIGITS = "〇零一二两三四五六七八九十百千"

_ZEROS = "〇零"
_DIGIT_VALUES = {
    "〇": 0,
    "零": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_UNITS = {"十": 10, "百": 100, "千": 1000}
_WRITE_DIGITS = "〇一二三四五六七八九"


def cn_to_int(s: str) -> int | None:
    """Read a Chinese (or Arabic, half- or full-width) numeral; None if it is not one.

    Accepts positional forms (十一, 二十, 一百零五, 一千零十, 百, 两百) and the
    digit-by-digit form that years use (二〇一八, 二零一八). Returning None rather
    than raising lets callers probe candidate text cheaply.
    """
    s = unicodedata.normalize("NFKC", s).strip()
    if not s:
        return None
    if s.isascii() and s.isdigit():
        return int(s)
    if any(ch not in CN_DIGITS for ch in s):
        return None
    if not any(ch in _UNITS for ch in s):
        return _digit_by_digit(s)
    return _positional(s)


def _digit_by_digit(s: str) -> int | None:
    """二〇一八 → 2018: each character is one decimal digit."""
    if len(s) > 1 and "两" in s:  # 两 is a count word, never a digit of a year
        return None
    value = 0
    for ch in s:
        value = value * 10 + _DIGIT_VALUES[ch]
    return value


def _positional(s: str) -> int | None:
    """一百零五 → 105: digits multiplied by strictly decreasing units.

    A 零 marks a skipped unit, so the next unit must be at least two steps
    lower (一千零十 is 1010, 一百零十 is not a numeral). A digit right after a
    unit without 零 takes the next-lower unit, as in 十五 and colloquial 一百五 (150).
    """
    total = 0
    digit: int | None = None
    last_unit: int | None = None
    zero = False
    for ch in s:
        if ch in _UNITS:
            unit = _UNITS[ch]
            if last_unit is not None and unit >= last_unit:
                return None
            if zero and last_unit is not None and unit * 10 >= last_unit:
                return None
            total += (1 if digit is None else digit) * unit
            digit, last_unit, zero = None, unit, False
        elif ch in _ZEROS:
            if digit is not None or zero or last_unit is None or last_unit == 10:
                return None
            zero = True
        else:
            if digit is not None:
                return None
            digit = _DIGIT_VALUES[ch]
    if zero and digit is None:
        return None  # a trailing 零 (一百零) says nothing
    if digit is not None:
        assert last_unit is not None  # a digit-only string never reaches here
        if zero or last_unit == 10:
            total += digit
        else:
            total += digit * (last_unit // 10)
    return total


def int_to_cn(n: int) -> str:
    """Write 1..999 the way documents number things: 一, 十, 十一, 二十, 一百零五.

    Raises ValueError outside that range; larger numbers do not occur as ordinals.
    """
    if not 1 <= n <= 999:
        raise ValueError(f"只能转换 1 至 999 之间的整数，收到 {n}")
    hundreds, rest = divmod(n, 100)
    tens, ones = divmod(rest, 10)
    if hundreds == 0:
        if tens == 0:
            return _WRITE_DIGITS[ones]
        head = "十" if tens == 1 else _WRITE_DIGITS[tens] + "十"
        return head + (_WRITE_DIGITS[ones] if ones else "")
    out = _WRITE_DIGITS[hundreds] + "百"
    if tens == 0 and ones == 0:
        return out
    if tens == 0:
        return out + "零" + _WRITE_DIGITS[ones]
    return out + _WRITE_DIGITS[tens] + "十" + (_WRITE_DIGITS[ones] if ones else "")
