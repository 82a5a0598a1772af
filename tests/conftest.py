# SPDX-License-Identifier: MIT
from hypothesis import settings

settings.register_profile("dev", max_examples=20)
settings.register_profile("thorough", max_examples=2_000)
# Choose one with `pytest --hypothesis-profile=dev`. When $CI is set,
# Hypothesis loads its own "ci" profile (derandomized, no database) itself,
# so no profile is loaded here.
