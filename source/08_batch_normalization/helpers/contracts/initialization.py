"""Contracts of lesson 05's graded functions.

Their results are random, so the test cells check them with
:func:`helpers.checkers.initialization.check_initializer` (type, shape, where the randomness
comes from, and the distribution of the draws) rather than by comparing values; the
contracts give the names its messages use and the catalogue diagnosis compares with.
"""
from . import Contract

CONTRACTS = {
    "xavier_init": Contract(args=("fan_in", "fan_out", "rng"), returns=("W",)),
    "he_init": Contract(args=("fan_in", "fan_out", "rng"), returns=("W",)),
}
