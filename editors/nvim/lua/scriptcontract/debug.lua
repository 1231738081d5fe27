-- "Debug with inputs" for Neovim: the language server's launch configuration handed to nvim-dap.
-- The server says everything (debugpy's adapter, the `attach` arguments, the inputs, whether the
-- script runs confined); the script runs through the server as a run does, connected to that
-- adapter, and its result is shown as a run's.
local run = require("scriptcontract.run")

local M = {}

M.DEBUG_TYPE = "scriptcontract"
-- How long a run may go on after its session ended before it is cancelled.
M.GRACE_MS = 2000
-- Short enough for one line of a common terminal (every message is cut to one).
M.NO_DAP = "debugging needs nvim-dap (github.com/mfussenegger/nvim-dap); :ScriptContractRun needs none"

local notify = run.notify
local offer_debug_anyway

--- nvim-dap, or nil after telling the user how to get it.
function M.dap()
  local ok, dap = pcall(require, "dap")
  if not ok or type(dap) ~= "table" or type(dap.run) ~= "function" then
    notify(M.NO_DAP, vim.log.levels.ERROR)
    return nil
  end
  return dap
end

--- The nvim-dap adapter and configuration for the server's launch configuration.
---@param launch table  what scriptcontract.debugConfiguration answered
---@return table adapter, table configuration
function M.dap_config(launch)
  local adapter = { type = "executable", command = launch.adapter.command, args = launch.adapter.args }
  local configuration = vim.deepcopy(launch.configuration)
  configuration.type = M.DEBUG_TYPE
  return adapter, configuration
end

--- Starts the debug run through the server, then the nvim-dap session; the run is cancelled when
--- the session ends first.
---@param bufnr integer
---@param client vim.lsp.Client
---@param launch table
function M.start(bufnr, client, launch)
  local dap = M.dap()
  if dap == nil then
    return
  end
  local script = vim.fn.fnamemodify(launch.program, ":t")
  local adapter, configuration = M.dap_config(launch)
  dap.adapters[M.DEBUG_TYPE] = adapter
  local pending
  local key = "scriptcontract-" .. script
  local function forget()
    pending = nil
    dap.listeners.after.event_terminated[key] = nil
    dap.listeners.after.disconnect[key] = nil
  end
  local function stop_run()
    if pending ~= nil then
      -- Neovim does not call a cancelled request's handler: say it here.
      client:cancel_request(pending)
      forget()
      notify("the session ended before " .. script .. ": its debug run was cancelled", vim.log.levels.WARN)
    end
  end
  -- A script that ended by itself ends the session too, as its result is on its way: the run
  -- is cancelled only if it has not ended shortly after (the user stopped the session).
  local function session_ended()
    vim.defer_fn(stop_run, M.GRACE_MS)
  end
  dap.listeners.after.event_terminated[key] = session_ended
  dap.listeners.after.disconnect[key] = session_ended
  -- The run connects to the adapter as soon as it listens, and the adapter answers `attach` only
  -- once the script has connected: so the run is sent first, and the session started after.
  local ok, id = client:request("workspace/executeCommand", {
    command = "scriptcontract.debugRun",
    arguments = { launch.run },
  }, function(err, result)
    forget()
    if err then
      notify("debugging " .. script .. " ended: " .. (err.message or vim.inspect(err)), vim.log.levels.WARN)
      return
    end
    if type(result) == "table" and type(result.success) == "boolean" then
      run.show(script, launch.inputs, result, client.root_dir, client, bufnr)
      local verdict = M.verdict_line(result.case)
      if verdict ~= nil then
        vim.notify(run.one_line(verdict), result.case.outcome == "passed" and vim.log.levels.INFO or vim.log.levels.WARN)
      end
      if dap.repl and dap.repl.append then
        dap.repl.append(require("scriptcontract.result").summary(script, result))
        if verdict ~= nil then
          dap.repl.append(verdict)
        end
      end
    end
  end, bufnr)
  if not ok then
    notify("the language server did not take the debug run", vim.log.levels.ERROR)
    return
  end
  pending = id
  dap.run(configuration)
  -- The session's first line: whether the script runs in the sandbox.
  -- Cut to one line here (a longer one stops Neovim at "Press ENTER"); whole in the REPL.
  vim.notify(run.one_line(launch.sandbox), vim.log.levels.INFO)
  if dap.repl and dap.repl.append then
    dap.repl.append(launch.sandbox)
  end
end

--- The client to debug `bufnr` with, once nvim-dap is there; nil (after saying why) if none.
---@param bufnr integer
---@return vim.lsp.Client|nil
local function debug_client(bufnr)
  if M.dap() == nil then
    return nil
  end
  return run.client_for(bufnr)
end

--- After a debug session the script's declared schema refused (the message says why): asks
--- whether to debug it anyway, with the arguments the server named (`runAnyway`).
---@param bufnr integer
---@param script string
---@param args table  the refused session's arguments
---@param anyway table  what to add to them
offer_debug_anyway = function(bufnr, script, args, anyway)
  require("scriptcontract.messages").offer_anyway(bufnr, script, "Debug", function()
    M.debug(bufnr, vim.tbl_extend("force", args, anyway))
  end)
end

--- A refusal of the server's as the start of one line: a declared schema's problems first (the
--- line is cut to the screen's width), then the schema; else the message without its "Not
--- debugged: " (after "cannot debug" it would say it twice).
---@param message string
---@return string
function M.refusal_line(message)
  local problems = {}
  for problem in message:gmatch("\n%s+%- ([^\n]+)") do
    table.insert(problems, problem)
  end
  local schema = message:match("declared schema (%S+);")
  if #problems == 0 or schema == nil then
    return (message:gsub("^Not debugged: ", ""))
  end
  return table.concat(problems, "; ") .. " (against " .. schema .. ")"
end

--- Asks the server for the launch configuration with `inputs`, then starts.
---@param bufnr integer
---@param args table  inputs / inputsFile / case
function M.debug(bufnr, args)
  local client = debug_client(bufnr)
  if client == nil then
    return
  end
  if not run.save(bufnr, "the debug run executes the file on disk") then
    return
  end
  local argument = vim.tbl_extend("force", {}, args, { uri = vim.uri_from_bufnr(bufnr) })
  client:request("workspace/executeCommand", {
    command = "scriptcontract.debugConfiguration",
    arguments = { argument },
  }, function(err, launch)
    if err then
      local script = vim.fn.fnamemodify(vim.api.nvim_buf_get_name(bufnr), ":t")
      local message = err.message or vim.inspect(err)
      notify("cannot debug " .. script .. ": " .. M.refusal_line(message), vim.log.levels.ERROR)
      -- The message is cut to one line: the whole text is in :LspLog.
      vim.lsp.log.warn("scriptcontract: cannot debug " .. script .. ": " .. message)
      local anyway = type(err.data) == "table" and err.data.runAnyway or nil
      if type(anyway) == "table" then
        -- Inputs the declared schema refuses: the same way out as a run's.
        offer_debug_anyway(bufnr, script, args, anyway)
      end
      return
    end
    if type(launch) ~= "table" or type(launch.adapter) ~= "table" then
      notify("the language server gave no launch configuration (is it up to date?)", vim.log.levels.ERROR)
      return
    end
    M.start(bufnr, client, launch)
  end, bufnr)
end

--- Prompts for the inputs as "Run with inputs" does, then debugs.
---@param bufnr integer
function M.prompt_and_debug(bufnr)
  M.command(bufnr, "")
end

--- The client-side handler of scriptcontract.debug (code action and code lens).
---@param command lsp.Command
---@param ctx table
function M.from_command(command, ctx)
  local argument = (command.arguments or {})[1] or {}
  local bufnr = type(argument.uri) == "string" and vim.uri_to_bufnr(argument.uri) or ctx.bufnr
  if argument.inputs ~= nil or argument.inputsFile ~= nil or argument.case ~= nil then
    M.debug(bufnr, { inputs = argument.inputs, inputsFile = argument.inputsFile, case = argument.case })
  else
    M.prompt_and_debug(bufnr)
  end
end

--- The line that says a debugged case's verdict, as :ScriptContractTest says a case's; nil if none.
---@param verdict table|nil  the `case` of scriptcontract.debugRun's answer
---@return string|nil
function M.verdict_line(verdict)
  if type(verdict) ~= "table" then
    return nil
  end
  local mark = verdict.outcome == "passed" and "✓" or (verdict.outcome == "failed" and "✗" or "!")
  return string.format("scriptcontract: case %s: %s %s", vim.json.encode(verdict.name), mark, verdict.message)
end

--- The case of `listed` (scriptcontract.listCases' answer) whose lines hold `line` (0-based).
---@param listed table
---@param line integer
---@return string|nil
function M.case_at(listed, line)
  for _, case in ipairs(listed.cases or {}) do
    if case.range.start.line <= line and line <= case.range["end"].line then
      return case.name
    end
  end
  return nil
end

--- :ScriptContractDebugCase [name]: the script with a recorded case's inputs, through nvim-dap.
--- Without a name: in a cases file the case under the cursor, else the one picked from a list.
---@param bufnr integer  a script or its cases file
---@param name string  the case's name; empty means the one under the cursor, or pick one
function M.debug_case(bufnr, name)
  local client = debug_client(bufnr)
  if client == nil then
    return
  end
  local uri = vim.uri_from_bufnr(bufnr)
  client:request("workspace/executeCommand", {
    command = "scriptcontract.listCases",
    arguments = { { uri = uri } },
  }, function(err, listed)
    if err then
      notify("cannot debug a case: " .. (err.message or vim.inspect(err)), vim.log.levels.ERROR)
      return
    end
    if type(listed) ~= "table" or not listed.exists or #(listed.cases or {}) == 0 then
      notify("this script has no recorded cases: run it with inputs, then \"Add as case\"", vim.log.levels.WARN)
      return
    end
    -- The debug run executes the script on disk: write it first, as a run does.
    local script = vim.fn.bufnr(vim.uri_to_fname(listed.scriptUri))
    if script ~= -1 and vim.api.nvim_buf_is_loaded(script) and not run.save(script) then
      return
    end
    local function go(case)
      M.debug(bufnr, { case = case })
    end
    if name ~= "" then
      return go(name)
    end
    if vim.uri_to_fname(listed.casesUri) == vim.api.nvim_buf_get_name(bufnr) then
      local here = M.case_at(listed, vim.api.nvim_win_get_cursor(0)[1] - 1)
      if here ~= nil then
        return go(here)
      end
    end
    local names = vim.tbl_map(function(case)
      return case.name
    end, listed.cases)
    vim.ui.select(names, { prompt = "Debug which case?" }, function(choice)
      if choice ~= nil then
        go(choice)
      end
    end)
  end, bufnr)
end

--- :ScriptContractDebug [json]
---@param bufnr integer
---@param text string  the command's argument; empty means prompt
function M.command(bufnr, text)
  if M.dap() == nil then
    return
  end
  run.inputs_from(bufnr, text, function(inputs)
    M.debug(bufnr, { inputs = inputs })
  end)
end

return M
