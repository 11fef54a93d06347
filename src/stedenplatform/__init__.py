"""Stedenplatform: plan follow-up, city statistics, social monitoring, rights
and knowledge for the Flemish centrumsteden, the VGC and their Kenniscentrum."""

__version__ = "0.1.0"
