#!/usr/bin/env python
from peaceworks.manage import main

if __name__ == "__main__":
    main()
