-- "Run with inputs" for Neovim: the prompt, the server request, where the result goes, and
-- how a run in flight is followed (progress) and stopped (:ScriptContractCancel, closing its
-- buffer).
local json = require("scriptcontract.json")
local result_view = require("scriptcontract.result")

local M = {}

local NAME = "scriptcontract"
-- JSON-RPC's "request cancelled": the answer to a run that was cancelled.
local REQUEST_CANCELLED = -32800
local RESULT_HEIGHT = 15

--- Runs in flight, by the buffer of their script: { client, request_id, script, inputs }.
---@type table<integer, table>
M.running = {}
--- The one window results are shown in (every run reuses it), when it is open.
---@type integer|nil
M.result_win = nil

--- One line, whatever `message` holds: a longer message would stop Neovim at a "Press
--- ENTER" prompt. What does not fit is cut (a run's whole text is in its result buffer).
---@param message string
---@return string
function M.one_line(message)
  local line = vim.trim((tostring(message):gsub("%s*\n%s*", " ⏎ ")))
  local room = math.max((vim.v.echospace or vim.o.columns) - 1, 20)
  if vim.fn.strdisplaywidth(line) > room then
    line = vim.fn.strcharpart(line, 0, room - 1) .. "…"
    while vim.fn.strdisplaywidth(line) > room do
      line = vim.fn.strcharpart(line, 0, vim.fn.strchars(line) - 2) .. "…"
    end
  end
  return line
end

local function notify(message, level)
  vim.notify(M.one_line("scriptcontract: " .. message), level or vim.log.levels.INFO)
end
M.notify = notify

--- The scriptcontract client attached to `bufnr`, or nil after telling the user why not.
---@param bufnr integer
---@return vim.lsp.Client|nil
function M.client_for(bufnr)
  local client = vim.lsp.get_clients({ bufnr = bufnr, name = NAME })[1]
  if client == nil then
    notify(M.why_no_client(bufnr), vim.log.levels.ERROR)
  end
  return client
end

--- Why no scriptcontract client is attached to `bufnr`, in words that say what to do: Neovim
--- skips a server whose command is not found without a word.
---@param bufnr integer
---@return string
function M.why_no_client(bufnr)
  local cmd = (vim.lsp.config[NAME] or {}).cmd
  if type(cmd) == "table" and type(cmd[1]) == "string" and vim.fn.executable(cmd[1]) == 0 then
    return string.format("the command %s is not found: install scriptcontract, or set setup({ cmd })", cmd[1])
  end
  local refused = require("scriptcontract.server_cmd").refusal(cmd, {
    vim.fs.root(bufnr, (vim.lsp.config[NAME] or {}).root_markers or { "scriptcontract.toml", "pyproject.toml", ".git" }),
    vim.fn.getcwd(),
  })
  if refused ~= nil then
    return refused
  end
  local filetype = vim.bo[bufnr].filetype
  if filetype ~= "python" and filetype ~= "json" then
    return "this is not a Python script: the commands work on workflow scripts"
  end
  return "no scriptcontract language server is attached to this buffer (:checkhealth vim.lsp says why)"
end

---@param client vim.lsp.Client
---@param bufnr integer
---@param command string
---@param argument table
---@param on_result fun(result: any, err: table|nil)
---@return integer|nil request_id
local function execute(client, bufnr, command, argument, on_result)
  -- client:request sends workspace/executeCommand without consulting client-side commands, so
  -- scriptcontract.runNow always reaches the server.
  local ok, request_id = client:request(
    "workspace/executeCommand",
    { command = command, arguments = { argument } },
    function(err, result)
      on_result(result, err)
    end,
    bufnr
  )
  return ok and request_id or nil
end

--- Writes `bufnr` when it has unsaved changes; false (after saying why) when it cannot be.
---@param bufnr integer
---@return boolean
local function write_buffer(bufnr)
  if not vim.bo[bufnr].modified then
    return true
  end
  local ok, err = pcall(vim.api.nvim_buf_call, bufnr, function()
    vim.cmd("silent update")
  end)
  if not ok then
    -- Vim's own reason (E45: 'readonly' option is set, E212: Can't open file for writing).
    local reason = tostring(err):match("(E%d+:.*)$") or tostring(err)
    local name = vim.fn.fnamemodify(vim.api.nvim_buf_get_name(bufnr), ":t")
    notify("cannot write " .. name .. ": " .. reason, vim.log.levels.ERROR)
  end
  return ok
end

--- Whether `bufnr` is a file on disk; says what to do when it is not (`why` ends the message).
---@param bufnr integer
---@param why string
---@return boolean
function M.on_disk(bufnr, why)
  if vim.api.nvim_buf_get_name(bufnr) == "" or vim.bo[bufnr].buftype ~= "" then
    notify("write the script to a file first: " .. why, vim.log.levels.WARN)
    return false
  end
  return true
end

--- A run executes the script on disk and reads its inputs file there: write the unsaved
--- changes of both first. False (after saying why) when the script is not a file or a
--- write failed.
---@param bufnr integer
---@param why? string  what needs the file on disk (the end of the message when it is not one)
---@return boolean
function M.save(bufnr, why)
  if not M.on_disk(bufnr, why or "a run executes the file on disk") then
    return false
  end
  if not write_buffer(bufnr) then
    return false
  end
  -- `<script>.inputs.json`, as the server names it (the script's name without its suffix).
  local inputs = vim.fn.bufnr(vim.fn.fnamemodify(vim.api.nvim_buf_get_name(bufnr), ":r") .. ".inputs.json")
  if inputs ~= -1 and vim.api.nvim_buf_is_loaded(inputs) then
    return write_buffer(inputs)
  end
  return true
end

--- Shows `lines` in the script's result buffer, in the one result window.
local function show_lines(script, lines)
  local name = "scriptcontract://run/" .. script
  local buf = vim.fn.bufnr(name)
  if buf == -1 then
    buf = vim.api.nvim_create_buf(false, true)
    vim.api.nvim_buf_set_name(buf, name)
    vim.bo[buf].bufhidden = "hide"
    vim.bo[buf].swapfile = false
  end
  vim.bo[buf].modifiable = true
  vim.api.nvim_buf_set_lines(buf, 0, -1, false, lines)
  vim.bo[buf].modifiable = false
  M.show_buffer(buf)
end

--- Shows the result buffer `buf` in the one result window (opened below the code when it is
--- not), the cursor staying where it is.
---@param buf integer
function M.show_buffer(buf)
  local height = math.min(RESULT_HEIGHT, vim.api.nvim_buf_line_count(buf) + 1)
  if M.result_win ~= nil and vim.api.nvim_win_is_valid(M.result_win) then
    -- Every run reuses the window: the code window keeps its height.
    vim.api.nvim_win_set_buf(M.result_win, buf)
    return
  end
  local current = vim.api.nvim_get_current_win()
  vim.cmd("botright " .. height .. "split")
  M.result_win = vim.api.nvim_get_current_win()
  vim.api.nvim_win_set_buf(M.result_win, buf)
  vim.wo[M.result_win].winfixheight = true
  vim.api.nvim_set_current_win(current)
end

--- Shows a run's result: a one-line notification, the result window (unless `result =
--- "notify"`) and, given the script's `client` and `bufnr`, a success beside its entry line.
---@param client? vim.lsp.Client
---@param bufnr? integer
function M.show(script, inputs, result, root, client, bufnr)
  local config = require("scriptcontract").config
  notify(result_view.summary(script, result, root), result.success and vim.log.levels.INFO or vim.log.levels.WARN)
  if config.result == "split" then
    show_lines(script, result_view.lines(script, inputs, result, root))
  end
  if client ~= nil and bufnr ~= nil and result.success then
    require("scriptcontract.inline").show(client, bufnr)
  end
end

--- :ScriptContractResult: the last result of the script in `bufnr` again (VS Code's Show
--- Output), in the result window.
---@param bufnr integer
function M.show_result(bufnr)
  local script = vim.fn.fnamemodify(vim.api.nvim_buf_get_name(bufnr), ":t")
  local buf = script ~= "" and vim.fn.bufnr("scriptcontract://run/" .. script) or -1
  if buf == -1 then
    local which = script ~= "" and script or "this buffer"
    notify("no result of " .. which .. " yet: run it first (:ScriptContractRun)", vim.log.levels.WARN)
    return
  end
  M.show_buffer(buf)
end

local function show_cancelled(script, inputs)
  local config = require("scriptcontract").config
  notify(script .. ": cancelled", vim.log.levels.INFO)
  if config.result == "split" then
    show_lines(script, result_view.cancelled_lines(script, inputs))
  end
end

--- Cancels the run in flight for `bufnr` (the script's buffer); false when there is none.
---@param bufnr integer
---@return boolean
function M.cancel(bufnr)
  local run = M.running[bufnr]
  if run == nil then
    return false
  end
  M.running[bufnr] = nil
  run.client:cancel_request(run.request_id)
  show_cancelled(run.script, run.inputs)
  return true
end

--- :ScriptContractCancel: the current buffer's run, else the only one in flight.
---@param bufnr integer
function M.cancel_command(bufnr)
  if M.cancel(bufnr) then
    return
  end
  local buffers = vim.tbl_keys(M.running)
  if #buffers == 1 then
    M.cancel(buffers[1])
  elseif #buffers == 0 then
    notify("no run in progress")
  else
    notify("several runs in progress: cancel from the script's buffer", vim.log.levels.WARN)
  end
end

local group = vim.api.nvim_create_augroup("scriptcontract.run", { clear = true })

-- A script's buffer that goes away takes its run with it.
vim.api.nvim_create_autocmd("BufUnload", {
  group = group,
  callback = function(args)
    if M.running[args.buf] ~= nil then
      M.cancel(args.buf)
    end
  end,
})

-- The server that ran it is gone (it crashed, :ScriptContractRestart, :LspRestart): no answer will come,
-- and its runs ended with it. Said at once, else the run looked in progress until cancelled.
vim.api.nvim_create_autocmd("LspDetach", {
  group = group,
  callback = function(args)
    local run = M.running[args.buf]
    if run == nil or run.client.id ~= args.data.client_id then
      return
    end
    -- A buffer that closes detaches too, from a server still there: BufUnload cancels that run.
    local client = vim.lsp.get_client_by_id(args.data.client_id)
    if client ~= nil and not client:is_stopped() then
      return
    end
    M.running[args.buf] = nil
    local ended = run.script .. ": not finished: the language server stopped, and its run with it"
    notify(ended .. " (:ScriptContractRestart)", vim.log.levels.WARN)
    if require("scriptcontract").config.result == "split" then
      show_lines(run.script, result_view.ended_lines(ended, run.inputs))
    end
  end,
})

-- The server reports a run's progress ("Running hello.py", "with its inputs file").
vim.api.nvim_create_autocmd("LspProgress", {
  group = group,
  pattern = "begin",
  callback = function(args)
    local client = vim.lsp.get_client_by_id(args.data.client_id)
    local value = (args.data.params or {}).value or {}
    if client == nil or client.name ~= NAME or type(value.title) ~= "string" then
      return
    end
    if not value.title:match("^Running ") then
      return
    end
    local message = type(value.message) == "string" and (" " .. value.message) or ""
    notify(value.title .. message .. "… (:ScriptContractCancel stops it)")
  end,
})

--- The server's warning on a run's inputs as one line that fits: its problems, which the
--- line would otherwise cut (the whole warning is in the result window).
---@param script string
---@param warning string
---@return string
local function inputs_warning(script, warning)
  local problems = {}
  for _, line in ipairs(vim.split(warning, "\n", { plain = true })) do
    local problem = line:match("^%s+%- (.+)$")
    if problem ~= nil then
      table.insert(problems, problem)
    end
  end
  if #problems == 0 then
    return script .. ": " .. warning
  end
  return script .. ": check the inputs: " .. table.concat(problems, "; ")
end

--- After a run the script's declared schema refused (the result window lists why): asks
--- whether to run it anyway, with the arguments the server named (`runAnyway`).
---@param bufnr integer
---@param script string
---@param args table  the refused run's arguments
---@param anyway table  what to add to them
local function offer_run_anyway(bufnr, script, args, anyway)
  require("scriptcontract.messages").offer_anyway(bufnr, script, "Run", function()
    M.run(bufnr, vim.tbl_extend("force", args, anyway))
  end)
end

--- Sends scriptcontract.runNow for `bufnr` and shows the result.
---@param bufnr integer
---@param args table  extra arguments: inputs, inputsFile, timeoutMs
---@param on_done? fun(result: table|nil)
function M.run(bufnr, args, on_done)
  local client = M.client_for(bufnr)
  if client == nil then
    return
  end
  if not M.save(bufnr) then
    return
  end
  -- The last run's outcome beside the entry line is not this run's.
  require("scriptcontract.inline").clear(bufnr)
  local argument = vim.tbl_extend("force", {}, args, { uri = vim.uri_from_bufnr(bufnr) })
  local script = vim.fn.fnamemodify(vim.api.nvim_buf_get_name(bufnr), ":t")
  local run = { client = client, script = script, inputs = args.inputs }
  run.request_id = execute(client, bufnr, "scriptcontract.runNow", argument, function(result, err)
    local current = M.running[bufnr] == run
    if current then
      M.running[bufnr] = nil
    end
    if err ~= nil then
      if err.code ~= REQUEST_CANCELLED then
        notify("the run of " .. script .. " failed: " .. (err.message or vim.inspect(err)), vim.log.levels.ERROR)
      elseif current then -- cancelled by the server (a newer run of the same script)
        show_cancelled(script, args.inputs)
      end
    elseif type(result) == "table" and type(result.success) == "boolean" then
      M.show(script, args.inputs, result, client.root_dir, client, bufnr)
      if type(result.warning) == "string" then
        notify(inputs_warning(script, result.warning), vim.log.levels.WARN)
      end
      if type(result.runAnyway) == "table" then
        offer_run_anyway(bufnr, script, args, result.runAnyway)
      end
    end
    if on_done then
      on_done(result)
    end
  end)
  if run.request_id ~= nil then
    M.running[bufnr] = run
  end
end

--- Asks the server what is wrong with typed inputs, in words and with where; calls
--- `on_problem` with that (or the local parser's message when it cannot say).
local function explain(client, bufnr, text, local_problem, on_problem)
  execute(client, bufnr, "scriptcontract.parseInputs", { text = text }, function(answer)
    local problem = type(answer) == "table" and type(answer.problem) == "string" and answer.problem
    on_problem(problem or local_problem)
  end)
end

--- Asks for the inputs (pre-filled from the sidecar file or the inferred template), then runs.
---@param bufnr integer
---@param extra? table  other run arguments (timeoutMs)
function M.prompt_and_run(bufnr, extra)
  M.ask_inputs(bufnr, function(inputs)
    M.run(bufnr, vim.tbl_extend("force", extra or {}, { inputs = inputs }))
  end)
end

--- Prompts for the inputs of `bufnr`'s script, pre-filled from its sidecar file or the inferred
--- template, until they are a JSON object; calls `on_inputs` with them (not when cancelled).
---@param bufnr integer
---@param on_inputs fun(inputs: table)
function M.ask_inputs(bufnr, on_inputs)
  local client = M.client_for(bufnr)
  if client == nil then
    return
  end
  -- Written before the template is asked for: it is pre-filled from the inputs file on disk.
  if not M.save(bufnr) then
    return
  end
  local script = vim.fn.fnamemodify(vim.api.nvim_buf_get_name(bufnr), ":t")
  execute(client, bufnr, "scriptcontract.inputsTemplate", { uri = vim.uri_from_bufnr(bufnr) }, function(template)
    local inputs = type(template) == "table" and template.inputs or nil
    local origin = type(template) == "table" and template.source == "sidecar" and "inputs file" or "inferred"
    local function ask(default, problem)
      -- After a mistake, the prompt itself says what is wrong (the message is cut to a line).
      local prompt = string.format("Inputs for %s (JSON, %s): ", script, origin)
      if problem ~= nil then
        prompt = problem .. " " .. prompt
      end
      vim.ui.input({ prompt = prompt, default = default }, function(text)
        if text == nil then
          return
        end
        local parsed, problem = json.parse_object(text)
        if parsed == nil then
          explain(client, bufnr, text, problem, function(words)
            notify(words, vim.log.levels.ERROR)
            vim.schedule(function()
              ask(text, words)
            end)
          end)
          return
        end
        on_inputs(parsed)
      end)
    end
    ask(json.encode_object(inputs))
  end)
end

--- The client-side handler of scriptcontract.run (code action and code lens).
---@param command lsp.Command
---@param ctx table
function M.from_command(command, ctx)
  local argument = (command.arguments or {})[1] or {}
  local bufnr = ctx.bufnr
  if type(argument.uri) == "string" then
    bufnr = vim.uri_to_bufnr(argument.uri)
  end
  local extra = vim.deepcopy(argument)
  extra.uri = nil
  if extra.inputs ~= nil or extra.inputsFile ~= nil then
    M.run(bufnr, extra)
  else
    M.prompt_and_run(bufnr, extra)
  end
end

--- The inputs a command line gives: its JSON object, or, when it has none, the prompt's.
---@param bufnr integer
---@param text string
---@param on_inputs fun(inputs: table)
function M.inputs_from(bufnr, text, on_inputs)
  if vim.trim(text) == "" then
    M.ask_inputs(bufnr, on_inputs)
    return
  end
  local parsed, problem = json.parse_object(text)
  if parsed == nil then
    local client = M.client_for(bufnr)
    if client == nil then
      return
    end
    explain(client, bufnr, text, problem, function(words)
      notify(words, vim.log.levels.ERROR)
    end)
    return
  end
  on_inputs(parsed)
end

--- :ScriptContractRun [json]
---@param bufnr integer
---@param text string  the command's argument; empty means prompt
function M.command(bufnr, text)
  M.inputs_from(bufnr, text, function(inputs)
    M.run(bufnr, { inputs = inputs })
  end)
end

--- :ScriptContractRunFile [file]: runs with the inputs in a JSON file (VS Code's "Run with
--- Inputs File..."); without one, asks for it, completing file names from the script's folder.
---@param bufnr integer
---@param file string
function M.run_file(bufnr, file)
  local function go(name)
    -- Named from Neovim's current directory, as every file on its command line is; the
    -- server would read a relative name from the project root.
    M.run(bufnr, { inputsFile = vim.fn.fnamemodify(vim.fn.expand(name), ":p") })
  end
  if vim.trim(file) ~= "" then
    return go(vim.trim(file))
  end
  if M.client_for(bufnr) == nil or not M.on_disk(bufnr, "a run executes the file on disk") then
    return
  end
  local script = vim.api.nvim_buf_get_name(bufnr)
  vim.ui.input({
    prompt = "Inputs file for " .. vim.fn.fnamemodify(script, ":t") .. ": ",
    default = vim.fn.fnamemodify(script, ":~:.:h") .. "/",
    completion = "file",
  }, function(answer)
    if answer ~= nil and vim.trim(answer) ~= "" then
      go(vim.trim(answer))
    end
  end)
end

--- :ScriptContractCreateInputs: the server creates <script>.inputs.json through an edit that
--- Neovim applies; it is then written and opened.
---@param bufnr integer
function M.create_inputs(bufnr)
  local client = M.client_for(bufnr)
  if client == nil then
    return
  end
  if not M.on_disk(bufnr, "its inputs file goes beside it") then
    return
  end
  execute(client, bufnr, "scriptcontract.createInputs", { uri = vim.uri_from_bufnr(bufnr) }, function(result, err)
    if err ~= nil then
      notify("the inputs file was not created: " .. (err.message or vim.inspect(err)), vim.log.levels.ERROR)
      return
    end
    if type(result) ~= "table" or type(result.uri) ~= "string" then
      return
    end
    local sidecar = vim.uri_to_bufnr(result.uri)
    vim.fn.bufload(sidecar)
    vim.api.nvim_buf_call(sidecar, function()
      vim.cmd("silent update")
    end)
    vim.cmd("split")
    vim.api.nvim_win_set_buf(0, sidecar)
  end)
end

return M
