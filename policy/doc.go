// Package policy decides who may do what. It is the one place where need-to-know is decided: the HTTP
// router asks Allows (or Require) for the route's Action, and the app layer asks ViewCase, EditCase,
// ReadNote and the other record-level functions before it unseals anything.
//
// Every function is pure: it reads only its arguments (the clock included), keeps no state, and does no
// I/O. The app layer loads the facts (the case's unit, team and grants; the actor's role, unit and
// organisation) and this package judges them. That keeps the rules testable as an exhaustive table and
// keeps them identical on every node.
//
// Everything fails closed. An unknown role, an unknown action, an unknown note kind, an actor with no
// user id, or a zero Decision is a refusal. System actors (aman.System) have no role and are refused
// everything: jobs that must touch protected data do so on purpose in their own code, not by slipping
// through a rule written for people.
//
// The tests are the readable spec: actions_test.go holds the role × action matrix, cases_test.go the
// role × relationship × grant matrix, notes_test.go the role × note kind × access basis matrix.
package policy
