"""Which topic each lesson teaches: the one place that links a lesson to its helpers.

A topic names one module in each of the helpers' topic packages: ``reference/<topic>.py``
(the lesson's graded functions), ``contracts/``, ``plots/``, ``widgets/``, ``hints/`` and
``checkers/``. A lesson's student bundle ships its own topic's modules and earlier
lessons' (see :mod:`course.bundle`); tests/test_layout.py checks that each reference module
defines exactly its lesson's graded functions.
"""

#: lesson name -> topic. A new lesson adds its line here.
TOPICS: dict[str, str] = {
    "01_forward_propagation": "forward",
    "02_chain_rule": "chain_rule",
    "03_backpropagation": "backprop",
    "04_activation_functions": "activations",
    "05_weight_initialization": "initialization",
    "06_loss_functions": "losses",
    "07_optimizers": "optimizers",
    "08_batch_normalization": "batchnorm",
    "09_capstone_digits": "capstone",
}
