"""Learning from outcomes: track records and `credcheck calibrate`.

track_record.py  who a resolved claim proves right or wrong (credits), records per source, folds
sources_file.py  `credcheck track-record`: history files in, a sources file with records out
run.py           `credcheck calibrate`: score resolved claims (out of sample by folds), measure them
fit.py           the shift and scale fitted to outcomes; overlay.py writes them as a rubric
metrics.py       AUC, Brier, log loss, ECE, reliability bins, the term table
probability.py   what calibrate reads off an assessment
report.py        text, Markdown and JSON; plot.py the reliability diagram as SVG or PNG
"""
