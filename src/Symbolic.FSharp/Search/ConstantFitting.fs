namespace Symbolic.Search

open System

/// A weighted least-squares problem in a few parameters: residuals r(p) (prediction - target, already multiplied by
/// sqrt(weight)) and, for the derivative-based steps, the Jacobian as one column per parameter.
type LeastSquaresProblem =
    { Residuals: float[] -> float[] voption
      ResidualsAndJacobian: float[] -> struct (float[] * float[][]) voption }

/// Fits constants by Levenberg-Marquardt or BFGS. Both only ever accept steps that lower the sum of squares, so the
/// result is never worse than the start.
[<RequireQualifiedAccess>]
module ConstantFitting =
    let private sumSquares (r: float[]) =
        let mutable s = 0.0
        for x in r do
            s <- s + x * x
        if Double.IsNaN s then infinity else s

    /// Solves the symmetric positive definite system A x = b in place by Cholesky; false if A is not positive definite.
    let private choleskySolve (a: float[,]) (b: float[]) =
        let n = b.Length
        let l = Array2D.zeroCreate n n
        let mutable ok = true
        for i in 0 .. n - 1 do
            for j in 0 .. i do
                let mutable s = a[i, j]
                for k in 0 .. j - 1 do
                    s <- s - l[i, k] * l[j, k]
                if i = j then
                    if s <= 0.0 || Double.IsNaN s then ok <- false else l[i, i] <- sqrt s
                elif ok then l[i, j] <- s / l[j, j]
        if ok then
            let y = Array.zeroCreate n
            for i in 0 .. n - 1 do
                let mutable s = b[i]
                for k in 0 .. i - 1 do
                    s <- s - l[i, k] * y[k]
                y[i] <- s / l[i, i]
            for i in n - 1 .. -1 .. 0 do
                let mutable s = y[i]
                for k in i + 1 .. n - 1 do
                    s <- s - l[k, i] * b[k]
                b[i] <- s / l[i, i]
        ok

    let private dot (a: float[]) (b: float[]) =
        let mutable s = 0.0
        for i in 0 .. a.Length - 1 do
            s <- s + a[i] * b[i]
        s

    /// Levenberg-Marquardt from `start`; returns the best parameters found and their sum of squares.
    let levenbergMarquardt (problem: LeastSquaresProblem) (iterations: int) (start: float[]) : float[] * float =
        let p = Array.copy start
        let n = p.Length
        let mutable lambda = 1e-3
        let mutable cost =
            match problem.Residuals p with
            | ValueSome r -> sumSquares r
            | ValueNone -> infinity
        let mutable iteration = 0
        let mutable stop = n = 0 || Double.IsInfinity cost
        while not stop && iteration < iterations do
            iteration <- iteration + 1
            match problem.ResidualsAndJacobian p with
            | ValueNone -> stop <- true
            | ValueSome(struct (r, jac)) ->
                let a = Array2D.init n n (fun i j -> dot jac[i] jac[j])
                let g = Array.init n (fun i -> dot jac[i] r)
                if g |> Array.exists (fun x -> Double.IsNaN x || Double.IsInfinity x) then stop <- true
                else
                    let mutable improved = false
                    let mutable tries = 0
                    while not improved && tries < 8 do
                        tries <- tries + 1
                        let damped = Array2D.init n n (fun i j -> if i = j then a[i, i] * (1.0 + lambda) + 1e-12 else a[i, j])
                        let step = Array.map (~-) g
                        if choleskySolve damped step then
                            let trial = Array.init n (fun i -> p[i] + step[i])
                            let trialCost =
                                match problem.Residuals trial with
                                | ValueSome r' -> sumSquares r'
                                | ValueNone -> infinity
                            if trialCost < cost then
                                Array.blit trial 0 p 0 n
                                stop <- (cost - trialCost) <= 1e-14 * cost
                                cost <- trialCost
                                lambda <- max 1e-12 (lambda / 3.0)
                                improved <- true
                            else lambda <- lambda * 4.0
                        else lambda <- lambda * 4.0
                    if not improved then stop <- true
        p, cost

    /// BFGS with a backtracking line search on the sum of squares; returns the best parameters and their cost.
    let bfgs (problem: LeastSquaresProblem) (iterations: int) (start: float[]) : float[] * float =
        let n = start.Length
        let gradient (p: float[]) =
            match problem.ResidualsAndJacobian p with
            | ValueSome(struct (r, jac)) -> ValueSome(sumSquares r, Array.init n (fun i -> 2.0 * dot jac[i] r))
            | ValueNone -> ValueNone
        match gradient start with
        | ValueNone -> start, infinity
        | ValueSome _ when n = 0 -> start, (match problem.Residuals start with ValueSome r -> sumSquares r | _ -> infinity)
        | ValueSome(c0, g0) ->
            let mutable p = Array.copy start
            let mutable cost = c0
            let mutable g = g0
            let h = Array2D.init n n (fun i j -> if i = j then 1.0 else 0.0)
            let mutable iteration = 0
            let mutable stop = Double.IsInfinity cost
            while not stop && iteration < iterations do
                iteration <- iteration + 1
                let direction = Array.init n (fun i -> -(Array.init n (fun j -> h[i, j] * g[j]) |> Array.sum))
                let slope = dot direction g
                let direction, slope = if slope >= 0.0 then Array.map (~-) g, -(dot g g) else direction, slope
                let mutable alpha = 1.0
                let mutable accepted = false
                let mutable tries = 0
                while not accepted && tries < 20 do
                    tries <- tries + 1
                    let trial = Array.init n (fun i -> p[i] + alpha * direction[i])
                    match gradient trial with
                    | ValueSome(c, gNew) when c <= cost + 1e-4 * alpha * slope ->
                        let s = Array.init n (fun i -> trial[i] - p[i])
                        let y = Array.init n (fun i -> gNew[i] - g[i])
                        let sy = dot s y
                        if sy > 1e-12 then
                            // H <- (I - rho s y^T) H (I - rho y s^T) + rho s s^T
                            let rho = 1.0 / sy
                            let hy = Array.init n (fun i -> Array.init n (fun j -> h[i, j] * y[j]) |> Array.sum)
                            let yhy = dot y hy
                            for i in 0 .. n - 1 do
                                for j in 0 .. n - 1 do
                                    h[i, j] <- h[i, j] - rho * (hy[i] * s[j] + s[i] * hy[j]) + (rho * rho * yhy + rho) * s[i] * s[j]
                        stop <- cost - c <= 1e-14 * cost
                        p <- trial
                        cost <- c
                        g <- gNew
                        accepted <- true
                    | _ -> alpha <- alpha * 0.5
                if not accepted then stop <- true
            p, cost
