-- Recorded cases for Neovim: `:ScriptContractTest` runs the current script's cases (or the cases
-- file's) through the server and puts every failing case in the quickfix list; the server's
-- diagnostics show the failures in the cases file and the script too.
local M = {}

local NAME = "scriptcontract"
local SUFFIX = "%.cases%.json$"
-- A script's sidecar inputs file: the server checks and completes its keys.
local INPUTS_SUFFIX = "%.inputs%.json$"

local function notify(message, level)
  -- One line, as every message of the plugin (see run.one_line).
  require("scriptcontract.run").notify(message, level)
end

--- The server's `root_dir` for a buffer: every Python buffer, and of the JSON buffers only
--- cases files (`<script>.cases.json`) and inputs files (`<script>.inputs.json`); the project
--- root is found by the configured markers.
---@param bufnr integer
---@param on_dir fun(root_dir?: string)
function M.root_dir(bufnr, on_dir)
  local name = vim.api.nvim_buf_get_name(bufnr)
  if vim.bo[bufnr].filetype == "json" and not (name:match(SUFFIX) or name:match(INPUTS_SUFFIX)) then
    return
  end
  local config = vim.lsp.config[NAME] or {}
  local markers = config.root_markers or { "scriptcontract.toml", "pyproject.toml", ".git" }
  local root = vim.fs.root(bufnr, markers)
  -- Not started at all when a run could have planted the command PATH finds.
  local refused = require("scriptcontract.server_cmd").refusal(config.cmd, { root, vim.fn.getcwd() })
  if refused ~= nil then
    require("scriptcontract.server_cmd").tell(refused)
    return
  end
  on_dir(root)
end

--- Quickfix items of the failing cases of one `scriptcontract.runCases` answer.
---@param answer table
---@return table[]
function M.quickfix_items(answer)
  local file = vim.uri_to_fname(answer.casesUri)
  local items = {}
  for _, case in ipairs(answer.cases or {}) do
    if case.outcome ~= "passed" then
      local where = case.failureRange or case.range
      local text = string.format("%s: %s", case.name, case.message)
      local first = (case.differences or {})[1]
      -- The run's outcome ("run: expected success, got a failure") is what the message
      -- already says; when it comes first, the run failed and what follows is no clue.
      if first ~= nil and first.where ~= "success" and first.message ~= case.message then
        text = text .. " — " .. first.message
      end
      if case.traceback ~= nil and case.traceback ~= vim.NIL then
        text = text .. " (traceback ended at " .. case.traceback .. ")"
      end
      table.insert(items, {
        filename = file,
        lnum = where.start.line + 1,
        col = where.start.character + 1,
        text = text,
        type = "E",
      })
    end
  end
  return items
end

--- The quickfix items of the cases a declared schema refused (`refused` of a refusal): each at
--- its case, with its problems on the line.
---@param answer table  a refused scriptcontract.runCases answer
---@return table[]
function M.refused_items(answer)
  local items = {}
  local file = answer.casesUri and vim.uri_to_fname(answer.casesUri) or nil
  for _, case in ipairs(type(answer.refused) == "table" and answer.refused or {}) do
    local problems = {}
    for problem in tostring(case.message):gmatch("\n%s+%- ([^\n]+)") do
      table.insert(problems, problem)
    end
    table.insert(items, {
      filename = file,
      lnum = case.range.start.line + 1,
      col = case.range.start.character + 1,
      text = string.format("%s: not run: %s", case.name, table.concat(problems, "; ")),
      type = "W",
    })
  end
  return items
end

--- How many cases of `answer` passed, failed and were not run (`counts` adds to it).
---@param answer table
---@param counts? { passed: integer, failed: integer, error: integer, files_with_errors: integer }
---@return { passed: integer, failed: integer, error: integer, files_with_errors: integer }
function M.count(answer, counts)
  counts = counts or { passed = 0, failed = 0, error = 0, files_with_errors = 0 }
  for _, case in ipairs(answer.cases or {}) do
    local outcome = (case.outcome == "passed" or case.outcome == "failed") and case.outcome or "error"
    counts[outcome] = counts[outcome] + 1
  end
  return counts
end

--- "3 cases: 2 passed, 1 failed (0.3 s)": `scriptcontract test`'s summary, in its words (the
--- time when given).
---@param counts { passed: integer, failed: integer, error: integer, files_with_errors: integer }
---@param seconds? number
---@return string
function M.summary_of(counts, seconds)
  local parts = { string.format("%d passed", counts.passed) }
  if counts.failed > 0 then
    table.insert(parts, string.format("%d failed", counts.failed))
  end
  if counts.error > 0 then
    table.insert(parts, string.format("%d not run", counts.error))
  end
  if counts.files_with_errors > 0 then
    local plural = counts.files_with_errors > 1 and "s" or ""
    table.insert(parts, string.format("%d file%s with errors", counts.files_with_errors, plural))
  end
  local total = counts.passed + counts.failed + counts.error
  local text = string.format("%d case%s: %s", total, total == 1 and "" or "s", table.concat(parts, ", "))
  return seconds and string.format("%s (%.1f s)", text, seconds) or text
end

--- "3 cases: 3 passed" or "3 cases: 2 passed, 1 failed", and whether every case passed.
---@param answer table
---@return string, boolean
function M.summary(answer)
  local counts = M.count(answer)
  return M.summary_of(counts), counts.failed + counts.error == 0
end

--- :ScriptContractTest: run the cases of the script (or cases file) in `bufnr`.
---@param bufnr integer
---@param on_done? fun(answer: table)
function M.test(bufnr, on_done)
  local client = vim.lsp.get_clients({ bufnr = bufnr, name = NAME })[1]
  if client == nil then
    notify(require("scriptcontract.run").why_no_client(bufnr), vim.log.levels.ERROR)
    return
  end
  local name = vim.api.nvim_buf_get_name(bufnr)
  local run = require("scriptcontract.run")
  if not run.on_disk(bufnr, "its cases are beside it") then
    return
  end
  -- A run executes the script on disk: write it first (the cases file is read as it is here).
  if not name:match(SUFFIX) and not run.save(bufnr, "its cases are beside it") then
    return
  end
  notify("running the cases of " .. vim.fn.fnamemodify(name, ":t") .. "…")
  M.run_cases(client, bufnr, { uri = vim.uri_from_bufnr(bufnr) }, on_done)
end

--- Sends scriptcontract.runCases `argument` ({uri, names?}) and puts its failures in the
--- quickfix list.
---@param client vim.lsp.Client
---@param bufnr integer
---@param argument table
---@param on_done? fun(answer: table)
function M.run_cases(client, bufnr, argument, on_done)
  client:request("workspace/executeCommand", { command = "scriptcontract.runCases", arguments = { argument } }, function(err, answer)
    if err then
      notify("the cases did not run: " .. (err.message or vim.inspect(err)), vim.log.levels.ERROR)
      return
    end
    if type(answer) ~= "table" then
      return
    end
    if answer.error ~= nil and answer.error ~= vim.NIL then
      -- Refused: the server has said why (window/showMessage); saying it again here showed
      -- every refusal twice. Inputs the declared schema refuses can be run anyway: that
      -- refusal is ours to say, with the offer.
      if type(answer.runAnyway) == "table" then
        local refused = M.refused_items(answer)
        if #refused > 0 then
          -- The message is cut to one line: each refused case's problems go to the quickfix
          -- list, at the case, as a failing case's do.
          vim.fn.setqflist({}, " ", { title = "scriptcontract test: not run: " .. #refused .. " refused by the declared schema", items = refused })
          vim.cmd("botright copen")
          vim.cmd("wincmd p")
          notify(string.format("cases not run: %d refused by the declared schema (see the quickfix list)", #refused), vim.log.levels.WARN)
        else
          notify(tostring(answer.error), vim.log.levels.WARN)
        end
        vim.schedule(function()
          local prompt = "the inputs of some cases do not match the declared schema"
          vim.ui.select({ "Run anyway", "Do not run" }, { prompt = prompt }, function(choice)
            if choice == "Run anyway" then
              M.run_cases(client, bufnr, vim.tbl_extend("force", argument, answer.runAnyway), on_done)
            end
          end)
        end)
        return
      end
    else
      local items = M.quickfix_items(answer)
      local script = vim.fn.fnamemodify(vim.uri_to_fname(answer.scriptUri), ":t")
      local text, passed = M.summary(answer)
      -- The message is cut to one line; the quickfix list's title keeps the whole summary.
      vim.fn.setqflist({}, " ", { title = "scriptcontract test: " .. script .. ": " .. text, items = items })
      notify(script .. ": " .. text, passed and vim.log.levels.INFO or vim.log.levels.WARN)
      if not passed then
        vim.cmd("botright copen")
        vim.cmd("wincmd p")
      end
    end
    if on_done then
      on_done(answer)
    end
  end, bufnr)
end

--- The client-side handler of scriptcontract.runCases (the cases' code lenses and actions): the
--- same run, its failures in the quickfix list as :ScriptContractTest puts them.
---@param command lsp.Command
---@param ctx table
function M.from_command(command, ctx)
  local client = vim.lsp.get_client_by_id(ctx.client_id)
  if client == nil then
    return
  end
  M.run_cases(client, ctx.bufnr, (command.arguments or {})[1] or { uri = vim.uri_from_bufnr(ctx.bufnr) })
end

--- The client-side handler of scriptcontract.addCase ("+ Add as case", "Add last run as case"):
--- the server adds the case through an edit Neovim applies to the cases buffer, which is then
--- written, as `scriptcontract run --save-case` writes it (unless it had changes of its own).
---@param command lsp.Command
---@param ctx table
function M.add_case(command, ctx)
  local client = vim.lsp.get_client_by_id(ctx.client_id)
  if client == nil then
    return
  end
  local argument = (command.arguments or {})[1] or { uri = vim.uri_from_bufnr(ctx.bufnr) }
  -- Which cases buffers had unsaved changes before: those are left for the user to write.
  local modified = {}
  for _, buf in ipairs(vim.api.nvim_list_bufs()) do
    if vim.api.nvim_buf_get_name(buf):match(SUFFIX) and vim.bo[buf].modified then
      modified[buf] = true
    end
  end
  client:request("workspace/executeCommand", { command = command.command, arguments = { argument } }, function(err, answer)
    if err then
      notify("Add as case: " .. (err.message or vim.inspect(err)), vim.log.levels.ERROR)
      return
    end
    if type(answer) ~= "table" or type(answer.uri) ~= "string" then
      return
    end
    local cases = vim.uri_to_bufnr(answer.uri)
    vim.fn.bufload(cases)
    if not modified[cases] then
      vim.api.nvim_buf_call(cases, function()
        vim.cmd("silent update")
      end)
    end
  end, ctx.bufnr)
end

return M
