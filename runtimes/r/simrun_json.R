# simrun's R runtime: JSON for the protocol's frames (base R: a tokenizer, a recursive reader, a writer).
JSON_TOKEN <- '"(?:[^"\\\\]|\\\\.)*"|-?(?:0|[1-9][0-9]*)(?:\\.[0-9]+)?(?:[eE][+-]?[0-9]+)?|true|false|null|[][{},:]'
json_unescape <- function(t) {
  s <- substr(t, 2L, nchar(t) - 1L)
  if (!grepl("\\", s, fixed = TRUE)) return(s)
  m <- gregexpr("\\\\(u[0-9a-fA-F]{4}|.)", s, perl = TRUE)
  esc <- regmatches(s, m)[[1]]
  rep <- vapply(esc, function(e) {
    ch <- substr(e, 2L, 2L)
    switch(ch, n = "\n", t = "\t", r = "\r", b = "\b", f = "\f",
      u = intToUtf8(strtoi(substr(e, 3L, 6L), 16L)), ch)
  }, "", USE.NAMES = FALSE)
  regmatches(s, m) <- list(rep)
  s
}
json_parse <- function(text) {
  toks <- regmatches(text, gregexpr(JSON_TOKEN, text, perl = TRUE))[[1]]
  i <- 0L
  value <- function() {
    i <<- i + 1L
    t <- toks[[i]]
    c1 <- substr(t, 1L, 1L)
    if (c1 == "{") {
      out <- list(); keys <- character(0)
      if (toks[[i + 1L]] == "}") { i <<- i + 1L; return(structure(list(), names = character(0))) }
      repeat {
        i <<- i + 2L
        keys[length(keys) + 1L] <- json_unescape(toks[[i - 1L]])
        out[length(out) + 1L] <- list(value())
        i <<- i + 1L
        if (toks[[i]] == "}") break
      }
      names(out) <- keys
      return(out)
    }
    if (c1 == "[") {
      out <- list()
      if (toks[[i + 1L]] == "]") { i <<- i + 1L; return(out) }
      repeat {
        out[length(out) + 1L] <- list(value())
        i <<- i + 1L
        if (toks[[i]] == "]") break
      }
      return(out)
    }
    if (c1 == '"') return(json_unescape(t))
    if (t == "true") return(TRUE)
    if (t == "false") return(FALSE)
    if (t == "null") return(NULL)
    as.numeric(t)
  }
  value()
}
json_string <- function(s) {
  s <- enc2utf8(as.character(s))
  s <- gsub("\\", "\\\\", s, fixed = TRUE)
  s <- gsub('"', '\\"', s, fixed = TRUE)
  s <- gsub("\n", "\\n", s, fixed = TRUE)
  s <- gsub("\r", "\\r", s, fixed = TRUE)
  s <- gsub("\t", "\\t", s, fixed = TRUE)
  ctl <- grepl("[\001-\037]", s)
  if (any(ctl)) s[ctl] <- vapply(s[ctl], function(one) {
    chars <- strsplit(one, "")[[1]]
    bad <- grepl("[\001-\037]", chars)
    chars[bad] <- sprintf("\\u%04x", vapply(chars[bad], utf8ToInt, 0L))
    paste(chars, collapse = "")
  }, "", USE.NAMES = FALSE)
  paste0('"', s, '"')
}
json_scalar <- function(x) {
  if (is.factor(x)) x <- as.character(x)
  if (is.na(x) && !is.nan(x)) return("null")
  if (is.logical(x)) return(if (x) "true" else "false")
  if (is.character(x)) return(json_string(x))
  if (is.integer(x)) return(as.character(x))
  if (is.numeric(x)) {
    if (is.nan(x)) return('{"$float":"NaN"}')
    if (is.infinite(x)) return(if (x > 0) '{"$float":"Infinity"}' else '{"$float":"-Infinity"}')
    if (x == trunc(x) && abs(x) < 2^53) return(sprintf("%.0f", x))
    return(sprintf("%.17g", x))
  }
  json_string(paste(base::format(x), collapse = " "))
}
to_json <- function(x) {
  if (is.null(x)) return("null")
  if (is.data.frame(x)) x <- as.list(x)
  if (is.list(x) || length(x) != 1L) {
    keys <- names(x)
    if (length(x) == 0L) return(if (is.null(keys)) "[]" else "{}")
    parts <- vapply(seq_along(x), function(k) to_json(x[[k]]), "")
    if (!is.null(keys)) return(paste0("{", paste0(json_string(keys), ":", parts, collapse = ","), "}"))
    return(paste0("[", paste(parts, collapse = ","), "]"))
  }
  json_scalar(x)
}
