"""`make bench`: the numbers of issue 14, printed and written as JSON; never a test (nothing
here is named test_*.py, so pytest collects none of it). Start at run.py."""
