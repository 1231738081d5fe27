-- Test harness: `nvim --clean --headless -u harness.lua` loads the plugin from the repository,
-- runs one scenario file, writes what it saw as JSON and quits. An uncaught error during `-u`
-- would hang Neovim, so the scenario runs after startup under xpcall, and every path ends in
-- qall or cquit (the test also runs Neovim under a timeout).
vim.g.loaded_python3_provider = 0
vim.o.swapfile = false
vim.o.shadafile = "NONE"
vim.opt.runtimepath:prepend(vim.env.SCRIPTCONTRACT_NVIM_PLUGIN)

local facts = {}
local h = { facts = facts }

local function finish(ok, err)
  local report = { ok = ok, error = err, facts = facts }
  local file = assert(io.open(vim.env.SCRIPTCONTRACT_TEST_RESULT, "w"))
  file:write(vim.json.encode(report))
  file:close()
  vim.cmd(ok and "qall!" or "cquit 1")
end

--- Waits until `predicate()` is truthy; raises (failing the scenario) after `timeout` ms.
function h.wait(what, predicate, timeout)
  if not vim.wait(timeout or 20000, predicate, 20) then
    error("timed out waiting for " .. what, 2)
  end
end

--- The server command the tests start (the venv's own scriptcontract).
function h.server_cmd()
  return vim.json.decode(vim.env.SCRIPTCONTRACT_TEST_CMD)
end

--- Diagnostics of `bufnr` as plain tables, optionally of one source only.
function h.diagnostics(bufnr, source)
  local out = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    if source == nil or d.source == source then
      table.insert(out, {
        lnum = d.lnum,
        col = d.col,
        code = d.code,
        source = d.source,
        message = d.message,
        severity = d.severity,
      })
    end
  end
  return out
end

--- Opens `path` and waits for the scriptcontract client to attach; returns the buffer.
function h.open(path)
  vim.cmd.edit(vim.fn.fnameescape(path))
  local bufnr = vim.api.nvim_get_current_buf()
  h.wait("the scriptcontract client to attach", function()
    return #vim.lsp.get_clients({ bufnr = bufnr, name = "scriptcontract" }) > 0
  end)
  return bufnr
end

--- A round trip to the server: everything sent before it has been read by the server.
function h.round_trip(bufnr)
  local client = vim.lsp.get_clients({ bufnr = bufnr, name = "scriptcontract" })[1]
  local answer = client:request_sync("workspace/executeCommand", {
    command = "scriptcontract.inputsTemplate",
    arguments = { { uri = vim.uri_from_bufnr(bufnr) } },
  }, 20000, bufnr)
  return answer
end

--- Answers the next vim.ui.input prompt with `answer(default)`, recording the prompt.
function h.answer_prompt(answer)
  vim.ui.input = function(opts, on_confirm)
    facts.prompts = facts.prompts or {}
    table.insert(facts.prompts, { prompt = opts.prompt, default = opts.default })
    on_confirm(answer(opts.default))
  end
end

--- Answers every vim.ui.select (the code lens menu when a line has several lenses) with the
--- item whose shown text contains `wanted`, recording what was offered.
function h.choose(wanted)
  vim.ui.select = function(items, opts, on_choice)
    local shown = {}
    for index, item in ipairs(items) do
      local text = opts.format_item and opts.format_item(item) or tostring(item)
      table.insert(shown, text)
      if text:find(wanted, 1, true) then
        facts.offered = shown
        return on_choice(item, index)
      end
    end
    facts.offered = shown
    error("nothing offered contains " .. wanted, 2)
  end
end

--- The inlay hints the server gives for `bufnr` (what Neovim shows with inlay hints on).
function h.inlay_hints(bufnr)
  local client = vim.lsp.get_clients({ bufnr = bufnr, name = "scriptcontract" })[1]
  local answer = client:request_sync("textDocument/inlayHint", {
    textDocument = { uri = vim.uri_from_bufnr(bufnr) },
    range = { start = { line = 0, character = 0 }, ["end"] = { line = vim.api.nvim_buf_line_count(bufnr), character = 0 } },
  }, 20000, bufnr)
  local out = {}
  for _, hint in ipairs((answer and answer.result) or {}) do
    table.insert(out, { line = hint.position.line, label = hint.label })
  end
  return out
end

--- Applies the code action titled `title` at the cursor (as the user picks it from the menu);
--- returns the titles offered.
function h.apply_code_action(title)
  local offered = {}
  vim.lsp.buf.code_action({
    apply = true,
    filter = function(action)
      table.insert(offered, action.title)
      return action.title == title
    end,
  })
  return offered
end

--- Records every vim.notify call in facts.notifications (and keeps Neovim's own going).
function h.record_notifications()
  facts.notifications = facts.notifications or {}
  vim.o.columns = 120 -- a common terminal width (headless Neovim starts at 80)
  facts.echospace = vim.v.echospace
  vim.notify = function(message, level)
    table.insert(facts.notifications, { message = message, level = level, width = vim.fn.strdisplaywidth(message) })
  end
end

--- Records the debug runs the plugin asks of the server through the client of `bufnr` (each
--- scriptcontract.debugRun's argument): all in facts.debug_runs, the last in facts.debug_run.
--- The test drives the real adapter with them.
function h.record_debug_runs(bufnr)
  facts.debug_runs = facts.debug_runs or {}
  local client = vim.lsp.get_clients({ bufnr = bufnr, name = "scriptcontract" })[1]
  local request = client.request
  client.request = function(self, method, params, ...)
    if method == "workspace/executeCommand" and params.command == "scriptcontract.debugRun" then
      table.insert(facts.debug_runs, params.arguments[1])
      facts.debug_run = params.arguments[1]
    end
    return request(self, method, params, ...)
  end
end

--- Waits for a notification matching the Lua pattern `pattern`; returns it.
function h.wait_notification(pattern, timeout)
  local found
  h.wait("a notification matching " .. pattern, function()
    for _, item in ipairs(facts.notifications or {}) do
      if item.message:match(pattern) then
        found = item
        return true
      end
    end
    return false
  end, timeout)
  return found
end

--- The lines of the result buffer of `script` once it holds `pattern`.
function h.result_lines(script, pattern)
  local name = "scriptcontract://run/" .. script
  local lines
  h.wait("the result of " .. script .. " holding " .. pattern, function()
    local buf = vim.fn.bufnr(name)
    if buf == -1 then
      return false
    end
    lines = vim.api.nvim_buf_get_lines(buf, 0, -1, false)
    return table.concat(lines, "\n"):match(pattern) ~= nil
  end)
  return lines
end

--- The screen as the user sees it: rows of runs of cells with the same look,
--- { text, cells, fg, bg, bold, italic, underline, reverse } (colours as numbers, nil: the
--- default, Normal's).
function h.screen()
  vim.cmd("redraw!")
  local rows = {}
  for row = 0, vim.o.lines - 1 do
    local runs, current, key = {}, nil, nil
    for col = 0, vim.o.columns - 1 do
      local cell = vim.api.nvim__inspect_cell(1, row, col)
      local attrs = cell[2] or {}
      local look = {
        fg = attrs.foreground,
        bg = attrs.background,
        bold = attrs.bold or nil,
        italic = attrs.italic or nil,
        underline = (attrs.underline or attrs.undercurl) or nil,
        reverse = attrs.reverse or nil,
      }
      local this = vim.inspect(look)
      if current ~= nil and this == key then
        current.text = current.text .. cell[1]
        current.cells = current.cells + 1
      else
        current = vim.tbl_extend("force", look, { text = cell[1], cells = 1 })
        key = this
        table.insert(runs, current)
      end
    end
    table.insert(rows, runs)
  end
  local normal = vim.api.nvim_get_hl(0, { name = "Normal", link = false })
  return { rows = rows, fg = normal.fg, bg = normal.bg, columns = vim.o.columns }
end

--- Waits for diagnostics of `source` on `bufnr`; returns them.
--- Hover at the cursor: the lines of the window it opens (as the user reads them), and it.
function h.hover_lines()
  vim.lsp.buf.hover()
  local float
  h.wait("the hover window", function()
    for _, win in ipairs(vim.api.nvim_list_wins()) do
      if vim.api.nvim_win_get_config(win).relative ~= "" then
        float = win
      end
    end
    return float ~= nil
  end)
  return vim.api.nvim_buf_get_lines(vim.api.nvim_win_get_buf(float), 0, -1, false), float
end

function h.wait_diagnostics(what, bufnr, source)
  h.wait(what, function()
    return #h.diagnostics(bufnr, source) > 0
  end)
  return h.diagnostics(bufnr, source)
end

--- Calls `start(done)` and waits (`timeout` ms) until `done` is called; returns what it got.
function h.answer_of(what, start, timeout)
  local got
  start(function(answer)
    got = answer
  end)
  h.wait(what, function()
    return got ~= nil
  end, timeout)
  return got
end

--- Rewrites each line of the file `path` with `line:gsub(pattern, replacement)`.
function h.edit_file(path, pattern, replacement)
  local lines = vim.fn.readfile(path)
  for index, line in ipairs(lines) do
    lines[index] = line:gsub(pattern, replacement)
  end
  vim.fn.writefile(lines, path)
end

--- The quickfix list: its title, and its items as { file (the name alone), lnum, text }.
function h.quickfix()
  local quickfix = vim.fn.getqflist({ title = 0, items = 0 })
  local items = {}
  for _, item in ipairs(quickfix.items) do
    table.insert(items, {
      file = vim.fn.fnamemodify(vim.api.nvim_buf_get_name(item.bufnr), ":t"),
      lnum = item.lnum,
      text = item.text,
    })
  end
  return quickfix.title, items
end

-- A script that writes its pid to the file its inputs name, then waits until it is stopped.
local WAITS = [[
import json
import os
import sys
import time

inputs = json.load(sys.stdin)
with open(inputs["pid_file"], "w") as handle:
    handle.write(str(os.getpid()))
while True:
    time.sleep(0.05)
]]

--- Writes the waiting script to scripts/wait_for_service.py of the workspace and opens it;
--- returns the buffer.
function h.open_waiting_script()
  local script = vim.env.SCRIPTCONTRACT_TEST_WORKSPACE .. "/scripts/wait_for_service.py"
  vim.fn.writefile(vim.split(WAITS, "\n"), script)
  return h.open(script)
end

--- Runs the waiting script (:ScriptContractRun) with its pid going to `pid_file`; returns
--- the pid once the script has written it.
function h.start_waiting_run(pid_file)
  vim.cmd(string.format('ScriptContractRun {"pid_file": "%s"}', pid_file))
  h.wait("the script to start", function()
    return vim.fn.filereadable(pid_file) == 1 and vim.fn.getfsize(pid_file) > 0
  end)
  return tonumber(vim.fn.readfile(pid_file)[1])
end

function h.buffer_text(bufnr)
  return table.concat(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false), "\n")
end

vim.api.nvim_create_autocmd("VimEnter", {
  once = true,
  callback = function()
    vim.schedule(function()
      local ok, err = xpcall(function()
        dofile(vim.env.SCRIPTCONTRACT_TEST_SCENARIO)(h)
      end, debug.traceback)
      finish(ok, err)
    end)
  end,
})
