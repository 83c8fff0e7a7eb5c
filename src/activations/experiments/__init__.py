"""Chapter experiments: reusable, tested computations behind the chapters' figures.

One module per chapter (``affine``, ``saturation``, ``relu_family``, ``softmax_demos``,
``likelihood``); the notebooks import them, so a figure's numbers are computed by
code that the test suite checks.
"""
