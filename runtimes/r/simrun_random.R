# simrun's R runtime: ctx.random(), sfc32 seeded through splitmix32, bit for bit the JavaScript stream
M32 <- 4294967296
xor32 <- function(a, b) bitwXor(a %/% 65536, b %/% 65536) * 65536 + bitwXor(a %% 65536, b %% 65536)
or32 <- function(a, b) bitwOr(a %/% 65536, b %/% 65536) * 65536 + bitwOr(a %% 65536, b %% 65536)
shr <- function(a, k) a %/% 2^k
shl <- function(a, k) (a * 2^k) %% M32
imul <- function(a, b) {
  al <- a %% 65536; ah <- a %/% 65536; bl <- b %% 65536; bh <- b %/% 65536
  (al * bl + ((ah * bl + al * bh) %% 65536) * 65536) %% M32
}
splitmix32 <- function(a) {
  a <- a %% M32
  function() {
    a <<- (a + 2654435769) %% M32
    z <- imul(xor32(a, shr(a, 16)), 2246822507)
    z <- imul(xor32(z, shr(z, 13)), 3266489909)
    xor32(z, shr(z, 16))
  }
}
simrun_item_random <- function(seed, index) {
  mix <- splitmix32(xor32(imul(seed %% M32, 668265261), splitmix32(index)()))
  a <- mix(); b <- mix(); c <- mix(); d <- mix()
  function() {
    t <- (a + b + d) %% M32
    d <<- (d + 1) %% M32
    a <<- xor32(b, shr(b, 9))
    b <<- (c + shl(c, 3)) %% M32
    c <<- or32(shl(c, 21), shr(c, 11))
    c <<- (c + t) %% M32
    t / M32
  }
}
