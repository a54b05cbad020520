"""Reading and writing WordprocessingML; the only package that touches raw Word XML."""
