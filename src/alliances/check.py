"""placeholder"""
import re
def normalise(text):
    return " ".join(text.split())
