package mixed

func ok() int { return 1 }
