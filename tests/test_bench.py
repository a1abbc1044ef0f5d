"""sitroom bench's description of the CPU beside its figures."""

from sitroom.bench import cpu_info, cpu_label

CPUINFO = """processor\t: 0
vendor_id\t: AuthenticAMD
model name\t: AMD EPYC 9R14 96-Core Processor
flags\t\t: fpu sse2 avx avx2 avx512f avx512_vnni avx512_bf16 sha_ni

processor\t: 1
model name\t: AMD EPYC 9R14 96-Core Processor
flags\t\t: fpu sse2 avx avx2 avx512f avx512_vnni avx512_bf16 sha_ni
"""


def test_cpu_model_and_the_flags_that_decide_speed() -> None:
    info = cpu_info(CPUINFO)
    assert info == {"model": "AMD EPYC 9R14 96-Core Processor",
                    "flags": ["avx2", "avx512f", "avx512_vnni", "avx512_bf16"]}
    assert cpu_label(info, "bf16") == ("AMD EPYC 9R14 96-Core Processor "
                                       "(avx2 avx512f avx512_vnni avx512_bf16), MiniLM bf16")


def test_a_cpu_without_any_of_the_flags_says_so() -> None:
    info = cpu_info("model name\t: Old Core\nflags\t\t: fpu sse2\n")
    assert info["flags"] == []
    assert cpu_label(info, "fp32").startswith("Old Core (none of avx2/")
