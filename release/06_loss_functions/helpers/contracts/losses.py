"""Contracts of lesson 06's graded functions: each returns (loss, gradient)."""
from . import Contract, elementwise

CONTRACTS = {
    "mse_loss": Contract(args=("pred", "target"), returns=("loss", "dpred"),
                         batch_axes=elementwise("pred", "target")),
    # Clipping makes the loss and dp finite for p exactly 0 or 1: a warning (log(0),
    # 0 * log(0), a division by p (1 - p) = 0) means the clipping is missing somewhere.
    "binary_cross_entropy": Contract(args=("p", "y"), returns=("loss", "dp"), warning_free=True,
                                     batch_axes=elementwise("p", "y")),
    # Exact for logits of +-1e4: exp must never overflow and log never see a 0.
    # The lesson offers lesson 04's softmax (imported from helpers.reference in the
    # notebook); listing it here keeps it available while the answer is graded.
    "softmax_cross_entropy": Contract(args=("logits", "y"), returns=("loss", "dlogits"),
                                      warning_free=True, uses=("softmax",),
                                      batch_axes={"logits": (0, 1), "y": (0,)}),
    # margin is passed by keyword in the tests (kwargs={"margin": ...}), so the
    # messages name it as margin=...
    "hinge_loss": Contract(args=("scores", "y"), returns=("loss", "dscores"),
                           batch_axes={"scores": (0, 1), "y": (0,)}),
}
