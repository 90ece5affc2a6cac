"""The CSV sniffer that counts only its candidate delimiters chooses as ``csv.Sniffer`` does."""

from __future__ import annotations

import csv
import random

import pytest

from peaceworks.core.tabular import DELIMITERS, _Sniffer

SAMPLES = [
    "a,b,c\n1,2,3\n",
    "a;b;c\n1;2;3\n4;5;6\n",
    "a\tb\tc\n1\t2\t3\n",
    "a, b, c\n1, 2, 3\n",
    "a,b;c\n1,2;3\n4,5;6\n",
    "a;b,c;d\n1;2,3;4\n",
    "single\ncolumn\nonly\n",
    "",
    "\n\n\n",
    'a,"b,c",d\n1,"2,3",4\n',
    "a;b\n1;2,5\n3;4,5\n",
    "x,y\n" + "1,2\n" * 30 + "1;2;3;4\n" * 5,
    "x\ty;z\n" + "1\t2;3\n" * 12 + "1;2\t3;4\n" * 4,
    "id,name\n1,Ana María\n2,Чернов\n3,李\n",
    "a,b\n1\n2,3,4\n5,6\n" * 7,
]


def _standard(sample: str) -> tuple[str, str | None, bool, bool] | None:
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=DELIMITERS)
    except csv.Error:
        return None
    return dialect.delimiter, dialect.quotechar, dialect.doublequote, dialect.skipinitialspace


def _ours(sample: str) -> tuple[str, str | None, bool, bool] | None:
    try:
        dialect = _Sniffer().sniff(sample, delimiters=DELIMITERS)
    except csv.Error:
        return None
    return dialect.delimiter, dialect.quotechar, dialect.doublequote, dialect.skipinitialspace


def _random_samples(count: int) -> list[str]:
    pick = random.Random(22)
    alphabet = ["a", "1", " ", ",", ";", "\t", "\n", "x", ":", "|", '"']
    samples = []
    for _ in range(count):
        lines = []
        for _line in range(pick.randint(0, 30)):
            lines.append("".join(pick.choice(alphabet) for _ in range(pick.randint(0, 25))))
        samples.append("\n".join(lines))
    return samples


@pytest.mark.parametrize("sample", SAMPLES)
def test_the_sniffer_chooses_as_the_standard_one(sample: str) -> None:
    assert _ours(sample) == _standard(sample)


def test_the_sniffer_chooses_as_the_standard_one_on_random_samples() -> None:
    for sample in _random_samples(2000):
        assert _ours(sample) == _standard(sample), sample
