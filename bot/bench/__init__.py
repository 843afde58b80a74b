"""Benchmarks (``socbot bench``): speed and memory as ratios against references measured in the
same run. Measurement code only; nothing here is used to answer questions."""

__all__: list[str] = []
