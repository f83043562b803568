"""Measuring grades against outcomes: metrics for `credcheck calibrate` and the development sets."""
