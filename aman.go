// Package aman holds the domain of the Aman protection platform: its types, its vocabularies and its
// error codes. It imports only the standard library; storage, HTTP and crypto live in subpackages.
package aman

// Version is the release this binary was built from. Release builds set it with -ldflags.
var Version = "0.1.0-dev"
