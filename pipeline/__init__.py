"""The site generator of Finland's electronic family centre.

The build reads in stage order (see :func:`pipeline.build.build`): load, render once,
specialise per county, publish. Each stage is a module whose docstring says what goes in and
what comes out.
"""

__version__ = "0.1.0"
