"""sitroom: from noisy conflict news to events, stories, quotes, contradictions and control."""

import os

# torch's OpenMP threads otherwise spin while they wait for work. When the cores are shared (our
# own worker processes, or other jobs), the spinning burned 10x the CPU of the work itself:
# MiniLM took 100 ms of CPU per sentence instead of 9. Set before anything imports torch.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

__version__ = "0.1.0"
