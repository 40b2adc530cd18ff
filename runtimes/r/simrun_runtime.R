# simrun's R runtime: runs one model file in one long-lived R process for a simrun worker
# (base R only). Started as `Rscript simrun_runtime.R model.R` with the protocol's pipes on fds 3
# (frames from simrun) and 4 (frames to simrun); see docs/protocol.md. A frame is a 4-byte
# big-endian length and that many bytes of UTF-8 JSON. The model's own output (print, cat,
# message) goes to simrun's log. R cannot open a socket's fd by number, so each channel is read
# or written through `cat` (a pipe connection; both end with the process).

invisible(suppressWarnings(Sys.setlocale("LC_CTYPE", "C.UTF-8")))
PROTOCOL_VERSION <- 1

here <- dirname(normalizePath(sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE)[[1]])))
source(file.path(here, "simrun_random.R"))
source(file.path(here, "simrun_json.R"))

# ---- the channel: fd 3 in, fd 4 out, through cat ----
chan_in <- pipe("exec cat <&3", "rb")
chan_out <- pipe("exec cat >&4", "wb")
read_frame <- function() {
  head <- readBin(chan_in, "raw", 4L)
  if (length(head) < 4L) return(NULL)
  n <- sum(as.numeric(head) * c(16777216, 65536, 256, 1))
  body <- raw(0)
  while (length(body) < n) {
    part <- readBin(chan_in, "raw", n - length(body))
    if (length(part) == 0L) return(NULL)
    body <- c(body, part)
  }
  text <- rawToChar(body)
  Encoding(text) <- "UTF-8"
  json_parse(text)
}
send_frame <- function(json, now = TRUE) {
  body <- charToRaw(enc2utf8(json))
  n <- length(body)
  head <- as.raw(c(n %/% 16777216, (n %/% 65536) %% 256, (n %/% 256) %% 256, n %% 256))
  writeBin(c(head, body), chan_out)
  if (now) flush(chan_out)
}

# ---- helpers a model sees (its environment's parent) ----
helpers <- new.env(parent = globalenv())
helpers$transient <- function(message) {
  structure(class = c("Transient", "error", "condition"), list(message = message, call = sys.call(-1)))
}
helpers$simrun_item_random <- simrun_item_random
helpers$simrun_json <- function(x) to_json(x)

make_log <- function(index) {
  send <- function(level) function(...) {
    fields <- if (is.null(index)) "" else paste0(',"index":', index)
    send_frame(paste0('{"type":"log","level":"', level, '","msg":', json_string(paste0(...)), fields, "}"))
  }
  list(debug = send("debug"), info = send("info"), warn = send("warn"), error = send("error"))
}

# ---- errors as the protocol carries them ----
format_call <- function(cl) {
  sr <- attr(cl, "srcref")
  loc <- if (!is.null(sr)) paste0(basename(getSrcFilename(sr)), ":", sr[[1]], ": ") else ""
  paste0(loc, paste(deparse(cl, nlines = 1L), collapse = ""))
}
error_json <- function(e, calls) {
  keep <- Filter(function(cl) !is.null(attr(cl, "srcref")) && !identical(getSrcFilename(attr(cl, "srcref")), "simrun_runtime.R"), calls)
  trace <- paste(vapply(rev(keep), format_call, ""), collapse = "\n")
  where <- if (length(keep)) sub(": .*$", "", format_call(keep[[length(keep)]])) else NULL
  paste0(
    '{"type":', json_string(class(e)[[1]]), ',"message":', json_string(conditionMessage(e)),
    ',"traceback":', json_string(paste0(class(e)[[1]], ": ", conditionMessage(e), if (nzchar(trace)) "\n" else "", trace)),
    if (!is.null(where)) paste0(',"where":', json_string(where)) else "",
    ',"transient":', if (inherits(e, "Transient") || isTRUE(e$transient)) "true" else "false", "}"
  )
}
# Runs f(); gives list(ok = TRUE, value) or list(ok = FALSE, error = <error JSON>).
guarded <- function(f) {
  calls <- NULL
  tryCatch(
    withCallingHandlers(list(ok = TRUE, value = f()), error = function(e) calls <<- sys.calls()),
    error = function(e) list(ok = FALSE, error = error_json(e, calls))
  )
}

# ---- the session ----
hello <- read_frame()
if (is.null(hello)) quit(save = "no", status = 0)
if (!identical(hello$protocol, PROTOCOL_VERSION)) {
  send_frame(paste0('{"type":"fatal","error":{"type":"ProtocolError","message":"simrun speaks protocol ', hello$protocol, ', this runtime 1"}}'))
  quit(save = "no", status = 1)
}
model_file <- commandArgs(trailingOnly = TRUE)[[1]]
model <- new.env(parent = helpers)
loaded <- guarded(function() sys.source(model_file, envir = model, chdir = TRUE, keep.source = TRUE, toplevel.env = model))
fatal <- function(error) {
  send_frame(paste0('{"type":"fatal","error":', error, "}"))
  close(chan_out)
  quit(save = "no", status = 1)
}
if (!loaded$ok) fatal(loaded$error)
has <- function(n) exists(n, envir = model, inherits = FALSE)
missing <- Filter(function(n) !has(n), c("name", "version", "columns"))
if (!has("analyze") && !has("analyze_batch")) missing <- c(missing, "analyze")
if (length(missing)) {
  fatal(paste0('{"type":"ModelError","message":', json_string(paste0(basename(model_file), " defines no ", paste(missing, collapse = ", "),
    " (a model file defines top-level name, version, columns and analyze)")), "}"))
}
params <- if (has("params")) model$params else structure(list(), names = character(0))
if (length(params) == 0L) params <- structure(list(), names = character(0))
batch <- !has("analyze")
send_frame(paste0(
  '{"type":"describe","protocol":1,"runtime":"simrun-r 1","interpreter":', json_string(paste0("R ", R.version$major, ".", R.version$minor)),
  ',"model":{"name":', to_json(model$name), ',"version":', to_json(model$version), ',"columns":', to_json(as.list(model$columns)),
  ',"params":', to_json(params), ',"batch":', if (batch) "true" else "false", "}}"
))

sets <- list()
make_ctx <- function(s, seed, index) {
  ctx <- list(index = index, params = s$params, out_dir = s$out_dir, log = make_log(index))
  if (!is.null(index)) ctx$random <- simrun_item_random(seed, index)
  ctx
}
run_items <- function(s, frame) {
  fmt <- if (has("format")) model$format else NULL
  each <- identical(frame$flush, "item") # else the answers are flushed at the chunk's end
  for (entry in frame$items) {
    index <- entry$index
    item <- entry$item
    ctx <- make_ctx(s, frame$seed, index)
    r <- guarded(function() {
      result <- model$analyze(item, ctx)
      if (is.null(fmt)) result else fmt(result, item, ctx)
    })
    if (r$ok) send_frame(paste0('{"type":"row","index":', index, ',"row":', to_json(r$value), "}"), each)
    else send_frame(paste0('{"type":"error","index":', index, ',"error":', r$error, "}"), each)
  }
  flush(chan_out)
}
batch_frame <- function(items) {
  if (length(items) && is.list(items[[1]]) && !is.null(names(items[[1]]))) {
    cols <- names(items[[1]])
    df <- as.data.frame(lapply(setNames(cols, cols), function(k) vapply(items, function(it) {
      v <- it[[k]]
      if (is.null(v)) NA_character_ else as.character(v)
    }, "")), stringsAsFactors = FALSE)
    return(df)
  }
  data.frame(item = vapply(items, function(v) if (is.null(v)) NA_real_ else as.numeric(v), 0))
}
run_batch <- function(s, frame) {
  indices <- vapply(frame$items, function(e) e$index, 0)
  ctx <- make_ctx(s, frame$seed, NULL)
  ctx$index <- indices
  ctx$random_for <- function(index) simrun_item_random(frame$seed, index)
  r <- guarded(function() {
    out <- model$analyze_batch(batch_frame(lapply(frame$items, function(e) e$item)), ctx)
    out <- as.data.frame(out, stringsAsFactors = FALSE)
    if (nrow(out) != length(indices)) stop(sprintf("analyze_batch returned %d rows for %d items", nrow(out), length(indices)))
    out
  })
  for (k in seq_along(indices)) {
    if (r$ok) send_frame(paste0('{"type":"row","index":', indices[[k]], ',"row":', to_json(as.list(r$value[k, , drop = FALSE])), "}"), FALSE)
    else send_frame(paste0('{"type":"error","index":', indices[[k]], ',"error":', r$error, "}"), FALSE)
  }
  flush(chan_out)
}
repeat {
  frame <- read_frame()
  if (is.null(frame) || frame$type == "bye") break
  if (frame$type == "setup") {
    s <- list(params = frame$params, out_dir = frame$out_dir)
    if (has("setup")) {
      r <- guarded(function() model$setup(make_ctx(s, NULL, NULL)))
      if (!r$ok) fatal(r$error)
    }
    key <- as.character(if (is.null(frame$set)) 0 else frame$set)
    sets[[key]] <- s
    send_frame(paste0('{"type":"ready","set":', key, "}"))
  } else if (frame$type == "chunk") {
    s <- sets[[as.character(if (is.null(frame$set)) 0 else frame$set)]]
    if (batch) run_batch(s, frame) else run_items(s, frame)
  }
}
close(chan_out)
close(chan_in)
quit(save = "no", status = 0)
