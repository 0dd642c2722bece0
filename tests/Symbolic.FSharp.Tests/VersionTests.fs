module Symbolic.Tests.VersionTests

open Xunit
open Symbolic

[<Fact>]
let ``core version is three dot-separated numbers`` () =
    let parts = CoreVersion.current.Split '.'
    Assert.Equal(3, parts.Length)
    Assert.All(parts, fun p -> Assert.True(fst (System.Int32.TryParse p), p))
