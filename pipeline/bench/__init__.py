"""The benchmark at national scale (issue 17): a generated scale corpus (:mod:`.corpus`) and
one run that times our build next to Hugo plus Pagefind on it (:mod:`.run`)."""
