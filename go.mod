module github.com/batonrun/baton

go 1.26.8
